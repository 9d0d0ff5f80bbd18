import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shopPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { loggedInBrowser, newCustomer, productIdOf, productTitles } from '../support/shop.ts';

let alice: Browser;
let bob: Browser;
const shop = shopPerSuite({}, async () => {
  alice = await loggedInBrowser(shop(), 'alice@example.com', 'alice-secret');
  bob = await loggedInBrowser(shop(), 'bob@example.com', 'bob-secret');
});

const validProduct = {
  title: 'Wall Clock',
  price: '24.50',
  description: 'Tells the time, quietly.',
  imageUrl: 'https://example.com/clock.png',
};

async function shopTitles(): Promise<string[]> {
  return productTitles((await shop().newBrowser().get('/products')).text);
}

/** The value an input of the product form shows. */
function inputValue(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

describe('admin: adding products', () => {
  test('when the add form is opened, then it has labelled, empty fields and an Add Product button', async () => {
    const page = await alice.get('/admin/add-product');
    assert.equal(page.status, 200);
    for (const [name, label] of [['title', 'Title'], ['imageUrl', 'Image URL'], ['price', 'Price'], ['description', 'Description']]) {
      assert.match(page.text, new RegExp(`<label for="${name}">${label}</label>`));
    }
    assert.equal(inputValue(page.text, 'title'), '');
    assert.match(page.text, /<button class="btn" type="submit">Add Product<\/button>/);
  });

  test('when a valid product is added, then it appears in the shop and in the owner\'s admin list', async () => {
    const response = await alice.submit('/admin/add-product', { ...validProduct, title: '  Wall Clock  ' });
    assert.equal(response.location, '/admin/products');
    assert.ok((await shopTitles()).includes('Wall Clock'));
    assert.ok(productTitles((await alice.get('/admin/products')).text).includes('Wall Clock'));
    assert.match((await shop().newBrowser().get(`/products/${await productIdOf('Wall Clock')}`)).text, /\$24\.50/);
  });

  test('when every field is invalid, then the form comes back with a message per field and the values as typed', async () => {
    const before = await shopTitles();
    const typed = { title: '   ', price: '-3', description: 'Tiny', imageUrl: 'javascript:alert("hi")' };
    const response = await alice.submit('/admin/add-product', typed);
    assert.equal(response.status, 422);
    for (const message of [
      'Please enter a title.',
      'The price must be greater than zero.',
      'The description needs at least 5 characters.',
      'Enter an http(s) URL or a path like /images/book.svg.',
    ]) {
      assert.ok(response.text.includes(message), message);
    }
    assert.equal(inputValue(response.text, 'price'), '-3');
    assert.equal(inputValue(response.text, 'imageUrl'), 'javascript:alert(&#34;hi&#34;)');
    assert.match(response.text, /<textarea id="description" name="description" rows="5"[^>]*>Tiny<\/textarea>/);
    assert.deepEqual(await shopTitles(), before);
  });

  test('when the price is not a number or missing, then the form says so and nothing is added', async () => {
    const before = await shopTitles();
    const attempts = [
      { price: 'twelve', message: 'The price must be a number, for example 12.99.' },
      { price: '', message: 'Please enter a price.' },
      { price: 'Infinity', message: 'The price can be at most 1,000,000.' },
    ];
    for (const { price, message } of attempts) {
      const response = await alice.submit('/admin/add-product', { ...validProduct, title: 'Priceless', price });
      assert.equal(response.status, 422);
      assert.ok(response.text.includes(message), message);
      assert.equal(inputValue(response.text, 'title'), 'Priceless');
    }
    assert.deepEqual(await shopTitles(), before);
  });
});

describe('admin: own products only', () => {
  test('when alice opens her admin list, then she sees her products with Edit and Delete, and none of bob\'s', async () => {
    const page = await alice.get('/admin/products');
    const titles = productTitles(page.text);
    for (const title of ['A Great Book', 'Coffee Mug', 'Desk Lamp']) assert.ok(titles.includes(title), title);
    for (const title of ['Houseplant', 'Headphones', 'Backpack']) assert.ok(!titles.includes(title), title);
    assert.match(page.text, new RegExp(`href="/admin/edit-product/${await productIdOf('Desk Lamp')}">Edit</a>`));
    assert.match(page.text, /<button class="btn danger" type="submit">Delete<\/button>/);
  });

  test('when bob opens, edits or deletes alice\'s product, then he gets the 404 page and it stays as it was', async () => {
    const productId = await productIdOf('A Great Book');
    const responses = [
      await bob.get(`/admin/edit-product/${productId}`),
      await bob.submit('/admin/edit-product', { ...validProduct, productId, title: 'Stolen Book' }),
      await bob.submit('/admin/delete-product', { productId }),
    ];
    for (const response of responses) {
      assert.equal(response.status, 404);
      assert.match(response.text, /<h1>Page not found<\/h1>/);
    }
    const details = await shop().newBrowser().get(`/products/${productId}`);
    assert.match(details.text, /<h1>A Great Book<\/h1>/);
    assert.match(details.text, /\$19\.99/);
  });

  for (const productId of ['5f0c5a0e8c2b4a3d9e7f1a2b', 'not-a-product']) {
    test(`when the product id "${productId}" is edited or deleted, then the 404 page answers`, async () => {
      const responses = [
        await alice.get(`/admin/edit-product/${productId}`),
        await alice.submit('/admin/edit-product', { ...validProduct, productId }),
        await alice.submit('/admin/delete-product', { productId }),
      ];
      for (const response of responses) assert.equal(response.status, 404);
    });
  }
});

describe('admin: editing and deleting', () => {
  test('when alice edits her product, then the form shows its values and the shop shows the change', async () => {
    const productId = await productIdOf('Coffee Mug');
    const form = await alice.get(`/admin/edit-product/${productId}`);
    assert.equal(form.status, 200);
    assert.equal(inputValue(form.text, 'title'), 'Coffee Mug');
    assert.equal(inputValue(form.text, 'price'), '9.5');
    assert.equal(inputValue(form.text, 'productId'), productId);
    assert.match(form.text, /<button class="btn" type="submit">Update Product<\/button>/);

    const response = await alice.submit('/admin/edit-product', { ...validProduct, productId, title: 'Tea Mug', price: '8' });
    assert.equal(response.location, '/admin/products');
    const details = await shop().newBrowser().get(`/products/${productId}`);
    assert.match(details.text, /<h1>Tea Mug<\/h1>/);
    assert.match(details.text, /\$8\.00/);
  });

  test('when an edit is invalid, then the form keeps the typed values and the product is unchanged', async () => {
    const productId = await productIdOf('Desk Lamp');
    const response = await alice.submit('/admin/edit-product', { ...validProduct, productId, title: 'Dim Lamp', price: '0' });
    assert.equal(response.status, 422);
    assert.ok(response.text.includes('The price must be greater than zero.'));
    assert.equal(inputValue(response.text, 'title'), 'Dim Lamp');
    assert.equal(inputValue(response.text, 'productId'), productId);
    assert.match((await shop().newBrowser().get(`/products/${productId}`)).text, /<h1>Desk Lamp<\/h1>/);
  });

  test('when bob deletes his product, then it leaves the shop and the carts that held it', async () => {
    const productId = await productIdOf('Headphones');
    const customer = await newCustomer(shop());
    await customer.submit('/cart', { productId });
    await customer.submit('/cart', { productId: await productIdOf('Backpack') });

    const response = await bob.submit('/admin/delete-product', { productId });
    assert.equal(response.location, '/admin/products');
    assert.ok(!(await shopTitles()).includes('Headphones'));
    assert.equal((await shop().newBrowser().get(`/products/${productId}`)).status, 404);
    const cart = await customer.get('/cart');
    assert.doesNotMatch(cart.text, /Headphones/);
    assert.match(cart.text, /Backpack/);
  });
});
