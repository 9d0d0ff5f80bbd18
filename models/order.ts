import { model, Schema, type HydratedDocumentFromSchema } from 'mongoose';
import { productDetails } from './product.ts';

const orderSchema = new Schema(
  {
    products: [
      {
        // A copy, not a reference: the order must show what was bought even after the
        // product is edited or deleted.
        product: {
          ...productDetails,
          productId: { type: Schema.Types.ObjectId, ref: 'Product', required: true },
        },
        quantity: { type: Number, required: true, min: 1 },
      },
    ],
    user: {
      email: { type: String, required: true },
      userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    },
  },
  { timestamps: true },
);

export const Order = model('Order', orderSchema);
export type OrderDocument = HydratedDocumentFromSchema<typeof orderSchema>;
