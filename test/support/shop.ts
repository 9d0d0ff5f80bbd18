import { randomUUID } from 'node:crypto';
import { Product } from '../../models/product.ts';
import type { TestApp } from './app.ts';

type Client = TestApp['request'];

/** Posts a form the way the browser does, with this visitor's CSRF token. */
export async function submitForm(shop: TestApp, client: Client, path: string, fields: Record<string, string>) {
  const _csrf = await shop.csrfToken('/login', client);
  return client.post(path).type('form').send({ ...fields, _csrf });
}

/** Another browser, logged in as an existing account. */
export async function loggedInClient(shop: TestApp, email: string, password: string): Promise<Client> {
  const client = shop.newClient();
  const response = await shop.login(email, password, client);
  if (response.headers.location !== '/') throw new Error(`Could not log in as ${email} (status ${response.status}).`);
  return client;
}

/** A browser logged in with a brand-new account, so tests never share a cart or orders. */
export async function newCustomer(shop: TestApp): Promise<Client> {
  const email = `customer-${randomUUID()}@example.com`;
  const password = 'customer-secret';
  const client = shop.newClient();
  await shop.signup(email, password, password, client);
  return loggedInClient(shop, email, password);
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
