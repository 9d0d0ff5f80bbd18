import type { NextFunction, Request, Response } from 'express';
import { Error as MongooseError, isObjectIdOrHexString } from 'mongoose';
import { maxProductsPerAccount, Product, type ProductDocument } from '../models/product.ts';
import { User, type UserDocument } from '../models/user.ts';
import { signedInUser } from './signed-in-user.ts';

type ProductField = 'title' | 'price' | 'description' | 'imageUrl';
type ProductForm = Record<ProductField, string>;
type FieldErrors = Partial<Record<ProductField, string>>;

/** The form's fields exactly as typed, so a rejected form can show them again. */
function productForm(body: Record<string, unknown> | undefined): ProductForm {
  const value = (name: string) => (typeof body?.[name] === 'string' ? body[name] : '');
  return { title: value('title'), price: value('price'), description: value('description'), imageUrl: value('imageUrl') };
}

/** The schema's message for each invalid field; empty when the product may be saved. */
async function fieldErrors(product: ProductDocument): Promise<FieldErrors> {
  try {
    await product.validate();
    return {};
  } catch (error) {
    if (!(error instanceof MongooseError.ValidationError)) throw error;
    return Object.fromEntries(Object.entries(error.errors).map(([field, { message }]) => [field, message]));
  }
}

/** Only the owner may see, change or delete a product here; anyone else finds nothing. */
async function findOwnProduct(id: unknown, owner: UserDocument): Promise<ProductDocument | null> {
  return isObjectIdOrHexString(id) ? Product.findOne({ _id: id, userId: owner._id }) : null;
}

interface FormPage {
  productId?: string;
  values: ProductForm;
  errors: FieldErrors;
}

function renderForm(res: Response, { productId, values, errors }: FormPage) {
  const editing = productId !== undefined;
  res.render('admin/edit-product', {
    pageTitle: editing ? 'Edit Product' : 'Add Product',
    path: editing ? '/admin/products' : '/admin/add-product',
    productId,
    values,
    errors,
  });
}

export function getAddProduct(_req: Request, res: Response) {
  renderForm(res, { values: productForm(undefined), errors: {} });
}

export async function postAddProduct(req: Request, res: Response) {
  const values = productForm(req.body);
  const owner = signedInUser(req);
  if ((await Product.countDocuments({ userId: owner._id })) >= maxProductsPerAccount) {
    const title = `You already offer ${maxProductsPerAccount} products, the most one account may. Delete one to add another.`;
    return renderForm(res.status(422), { values, errors: { title } });
  }
  const product = new Product({ ...values, userId: owner._id });
  const errors = await fieldErrors(product);
  if (Object.keys(errors).length > 0) return renderForm(res.status(422), { values, errors });
  await product.save();
  res.redirect('/admin/products');
}

export async function getProducts(req: Request, res: Response) {
  const products = await Product.find({ userId: signedInUser(req)._id });
  res.render('admin/products', { pageTitle: 'Admin Products', path: '/admin/products', products });
}

export async function getEditProduct(req: Request, res: Response, next: NextFunction) {
  const product = await findOwnProduct(req.params.productId, signedInUser(req));
  if (!product) return next(); // on to the 404 page
  const { title, price, description, imageUrl } = product;
  const values = { title, price: String(price), description, imageUrl };
  renderForm(res, { productId: product.id, values, errors: {} });
}

export async function postEditProduct(req: Request, res: Response, next: NextFunction) {
  const product = await findOwnProduct(req.body?.productId, signedInUser(req));
  if (!product) return next();
  const values = productForm(req.body);
  product.set(values);
  const errors = await fieldErrors(product);
  if (Object.keys(errors).length > 0) return renderForm(res.status(422), { productId: product.id, values, errors });
  await product.save();
  res.redirect('/admin/products');
}

export async function postDeleteProduct(req: Request, res: Response, next: NextFunction) {
  const product = await findOwnProduct(req.body?.productId, signedInUser(req));
  if (!product) return next();
  await product.deleteOne();
  // Keep carts free of products nobody can buy any more.
  await User.updateMany({}, { $pull: { 'cart.items': { productId: product._id } } });
  res.redirect('/admin/products');
}
