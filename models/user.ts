import { model, Schema, type HydratedDocumentFromSchema, type Types } from 'mongoose';

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    /** A bcrypt hash, never the password itself. */
    password: { type: String, required: true },
    cart: {
      type: {
        items: [
          {
            productId: { type: Schema.Types.ObjectId, ref: 'Product', required: true },
            quantity: { type: Number, required: true, min: 1 },
          },
        ],
      },
      // Every user has a cart, so code never has to ask whether there is one.
      default: () => ({ items: [] }),
      _id: false,
    },
  },
  {
    methods: {
      async addToCart(product: { _id: Types.ObjectId }) {
        const item = this.cart.items.find((entry) => entry.productId.equals(product._id));
        if (item) item.quantity += 1;
        else this.cart.items.push({ productId: product._id, quantity: 1 });
        return this.save();
      },
      async removeFromCart(productId: Types.ObjectId) {
        const item = this.cart.items.find((entry) => entry.productId.equals(productId));
        if (item) this.cart.items.pull(item._id);
        return this.save();
      },
      async clearCart() {
        this.cart.items.splice(0);
        return this.save();
      },
    },
  },
);

export const User = model('User', userSchema);
export type UserDocument = HydratedDocumentFromSchema<typeof userSchema>;
