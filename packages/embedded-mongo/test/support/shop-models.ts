import { Schema, type Connection } from 'mongoose';

// The shop's shapes as the app uses them: users with an embedded cart, products owned by
// a user, and orders that keep a snapshot of each product as it was when ordered.

const userSchema = new Schema({
  name: { type: String, required: true },
  email: { type: String, required: true, unique: true },
  cart: {
    items: [
      {
        productId: { type: Schema.Types.ObjectId, ref: 'Product', required: true },
        quantity: { type: Number, required: true },
      },
    ],
  },
});

const productSchema = new Schema(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);

const orderSchema = new Schema({
  products: [{ product: { type: Object, required: true }, quantity: { type: Number, required: true } }],
  user: {
    email: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
});

export function shopModels(connection: Connection) {
  return {
    User: connection.model('User', userSchema),
    Product: connection.model('Product', productSchema),
    Order: connection.model('Order', orderSchema),
  };
}

export type ShopModels = ReturnType<typeof shopModels>;
