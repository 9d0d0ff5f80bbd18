import { randomUUID } from 'node:crypto';
import { Product } from '../../models/product.ts';
import type { TestApp } from './app.ts';
import type { Browser } from './browser.ts';

/** Another browser, logged in as an existing account. */
export async function loggedInBrowser(shop: TestApp, email: string, password: string): Promise<Browser> {
  const browser = shop.newBrowser();
  const response = await browser.logIn(email, password);
  if (response.location !== '/') throw new Error(`Could not log in as ${email} (status ${response.status}).`);
  return browser;
}

/** A browser logged in with a brand-new account, so tests never share a cart or orders. */
export async function newCustomer(shop: TestApp): Promise<Browser> {
  const email = `customer-${randomUUID()}@example.com`;
  const password = 'customer-secret';
  await shop.newBrowser().signUp(email, password);
  return loggedInBrowser(shop, email, password);
}

/** The id of the product with this title: the one in its Details link. */
export async function productIdOf(title: string): Promise<string> {
  const product = await Product.findOne({ title });
  if (!product) throw new Error(`No product titled "${title}".`);
  return product.id;
}

/** The titles on a page of product cards, in page order. */
export function productTitles(html: string): string[] {
  return [...html.matchAll(/<h2 class="product__title">([^<]*)<\/h2>/g)].map((match) => match[1] ?? '');
}
