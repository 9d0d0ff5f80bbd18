import type { NextFunction, Request, Response } from 'express';
import { isObjectIdOrHexString } from 'mongoose';
import { Order } from '../models/order.ts';
import { Product, productPage, type ProductDocument } from '../models/product.ts';
import type { UserDocument } from '../models/user.ts';
import { signedInUser } from './signed-in-user.ts';

/** Looks a product up by an id from the URL or a form; a malformed id finds nothing, like an unknown one. */
async function findProduct(id: unknown): Promise<ProductDocument | null> {
  return isObjectIdOrHexString(id) ? Product.findById(id) : null;
}

/** The cart's items next to their products; products deleted meanwhile are left out. */
async function cartLines(user: UserDocument) {
  const products = await Product.find({ _id: { $in: user.cart.items.map((item) => item.productId) } });
  return user.cart.items.flatMap(({ productId, quantity }) => {
    const product = products.find((candidate) => candidate._id.equals(productId));
    return product ? [{ product, quantity }] : [];
  });
}

/** The page a listing asks for with ?page=, the first when it names none. */
function pageAskedFor(req: Request): number {
  const page: unknown = req.query.page;
  return typeof page === 'string' && /^[1-9]\d{0,5}$/.test(page) ? Number(page) : 1;
}

export async function getIndex(req: Request, res: Response) {
  res.render('shop/product-list', { pageTitle: 'Shop', path: '/', ...(await productPage(pageAskedFor(req))) });
}

export async function getProducts(req: Request, res: Response) {
  res.render('shop/product-list', { pageTitle: 'All Products', path: '/products', ...(await productPage(pageAskedFor(req))) });
}

export async function getProduct(req: Request, res: Response, next: NextFunction) {
  const product = await findProduct(req.params.productId);
  if (!product) return next(); // on to the 404 page
  res.render('shop/product-detail', { pageTitle: product.title, path: '/products', product });
}

export async function getCart(req: Request, res: Response) {
  const lines = await cartLines(signedInUser(req));
  const total = lines.reduce((sum, { product, quantity }) => sum + product.price * quantity, 0);
  res.render('shop/cart', { pageTitle: 'Your Cart', path: '/cart', lines, total });
}

export async function postCart(req: Request, res: Response, next: NextFunction) {
  const product = await findProduct(req.body?.productId);
  if (!product) return next();
  await signedInUser(req).addToCart(product);
  res.redirect('/cart');
}

export async function postCartDeleteItem(req: Request, res: Response, next: NextFunction) {
  const product = await findProduct(req.body?.productId);
  if (!product) return next();
  await signedInUser(req).removeFromCart(product._id);
  res.redirect('/cart');
}

export async function postOrder(req: Request, res: Response) {
  const user = signedInUser(req);
  const lines = await cartLines(user);
  if (lines.length === 0) return res.redirect('/cart');
  await Order.create({
    // The schema keeps only the snapshot's fields of each product.
    products: lines.map(({ product, quantity }) => ({ product: { ...product.toObject(), productId: product._id }, quantity })),
    user: { email: user.email, userId: user._id },
  });
  await user.clearCart();
  res.redirect('/orders');
}

export async function getOrders(req: Request, res: Response) {
  const orders = await Order.find({ 'user.userId': signedInUser(req)._id }).sort({ createdAt: -1 });
  res.render('shop/orders', { pageTitle: 'Your Orders', path: '/orders', orders });
}
