import { model, Schema, type HydratedDocumentFromSchema, type SchemaDefinition } from 'mongoose';

/** A local picture (served from public/images) or an absolute http(s) address. */
function isImageLocation(value: string): boolean {
  if (/^\/images\/[\w.-]+$/.test(value)) return true;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/*
 * The fields a customer sees. Shared with the order snapshot so the two cannot drift apart;
 * the messages are the ones the product form shows next to each input.
 */
export const productDetails = {
  title: {
    type: String,
    required: [true, 'Please enter a title.'],
    trim: true,
    maxlength: [80, 'The title can have at most 80 characters.'],
  },
  price: {
    type: Number,
    required: [true, 'Please enter a price.'],
    cast: 'The price must be a number, for example 12.99.',
    min: [0.01, 'The price must be greater than zero.'],
    // Also keeps out "Infinity", which is a number to JavaScript.
    max: [1_000_000, 'The price can be at most 1,000,000.'],
  },
  description: {
    type: String,
    required: [true, 'Please enter a description.'],
    trim: true,
    minlength: [5, 'The description needs at least 5 characters.'],
    maxlength: [400, 'The description can have at most 400 characters.'],
  },
  imageUrl: {
    type: String,
    required: [true, 'Please enter an image URL.'],
    trim: true,
    validate: { validator: isImageLocation, message: 'Enter an http(s) URL or a path like /images/book.svg.' },
  },
} satisfies SchemaDefinition;

const productSchema = new Schema({
  ...productDetails,
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
});

export const Product = model('Product', productSchema);
export type ProductDocument = HydratedDocumentFromSchema<typeof productSchema>;

/** Products on one page of the shop: a page costs the same however many products there are. */
export const productsPerPage = 12;
/** Products one account may offer, so that no single account floods the shop front. */
export const maxProductsPerAccount = 50;

/** One page of the shop, oldest products first, and how many pages there are. */
export async function productPage(page: number) {
  const [products, total] = await Promise.all([
    Product.find()
      .sort({ _id: 1 })
      .skip((page - 1) * productsPerPage)
      .limit(productsPerPage),
    Product.estimatedDocumentCount(),
  ]);
  return { products, page, pageCount: Math.max(1, Math.ceil(total / productsPerPage)) };
}
