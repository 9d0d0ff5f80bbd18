import { model, Schema, type HydratedDocumentFromSchema, type Types } from 'mongoose';

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    /** A bcrypt hash, never the password itself. */
    password: { type: String, required: true },
    /**
     * Goes up with every password change, in the same update as the hash (changePassword). A session
     * records it at login and is refused once it differs (S28): that also ends a login whose password
     * check began before the change and whose session was stored after the change ended the others.
     */
    credentialVersion: { type: Number, default: 0 },
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
      /** One atomic update: whoever reads the user sees the new hash with the new version, or neither. */
      async changePassword(hash: string) {
        const changed = await this.collection.findOneAndUpdate(
          { _id: this._id },
          { $set: { password: hash }, $inc: { credentialVersion: 1 } },
          { returnDocument: 'after', projection: { credentialVersion: 1 } },
        );
        if (!changed) throw new Error('The user no longer exists.');
        // Not modified: a later save() must not write these back over a newer change.
        this.set({ password: hash, credentialVersion: changed.credentialVersion as number });
        this.unmarkModified('password');
        this.unmarkModified('credentialVersion');
      },
    },
  },
);

export const User = model('User', userSchema);
export type UserDocument = HydratedDocumentFromSchema<typeof userSchema>;
