import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxProductsPerAccount, Product, productsPerPage } from '../../models/product.ts';
import { shopPerSuite } from '../support/app.ts';
import { newCustomer, productTitles } from '../support/shop.ts';

const shop = shopPerSuite({ authMode: 'session' });
const lamp = (number: number) => ({ title: `Flood Lamp ${number}`, price: '1', description: 'One of very many lamps.', imageUrl: '/images/lamp.svg' });

test(`S32 one account offers at most ${maxProductsPerAccount} products: the next is refused with a message, and the shop front still shows one page`, async () => {
  const browser = await newCustomer(shop());
  for (let number = 1; number <= maxProductsPerAccount; number++) {
    assert.equal((await browser.submit('/admin/add-product', lamp(number), '/admin/add-product')).status, 302, `product ${number}`);
  }
  const refused = await browser.submit('/admin/add-product', lamp(maxProductsPerAccount + 1), '/admin/add-product');
  assert.equal(refused.status, 422);
  assert.match(refused.text, new RegExp(`You already offer ${maxProductsPerAccount} products, the most one account may\\. Delete one to add another\\.`));
  assert.equal(await Product.countDocuments({ title: lamp(maxProductsPerAccount + 1).title }), 0);

  const front = await shop().newBrowser().get('/');
  assert.equal(productTitles(front.text).length, productsPerPage);
  const pageCount = Math.ceil((await Product.countDocuments()) / productsPerPage);
  assert.match(front.text, new RegExp(`<a href="/\\?page=${pageCount}">${pageCount}</a>`));
});

test('S32 every page of the shop lists its own products, all of them once, in the order they were added', async () => {
  const pageCount = Math.ceil((await Product.countDocuments()) / productsPerPage);
  const browser = shop().newBrowser();
  const listed: string[] = [];
  for (let page = 1; page <= pageCount; page++) listed.push(...productTitles((await browser.get(`/products?page=${page}`)).text));
  const all = (await Product.find().sort({ _id: 1 })).map(({ title }) => title);
  assert.deepEqual(listed, all);
  assert.deepEqual(productTitles((await browser.get('/products?page=abc')).text), all.slice(0, productsPerPage));
});
