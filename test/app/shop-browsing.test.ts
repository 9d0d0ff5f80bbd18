import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shopPerSuite } from '../support/app.ts';
import { productIdOf, productTitles } from '../support/shop.ts';

const demoTitles = ['A Great Book', 'Coffee Mug', 'Desk Lamp', 'Houseplant', 'Headphones', 'Backpack'];

const shop = shopPerSuite();

describe('browsing the shop without an account', () => {
  for (const path of ['/', '/products']) {
    test(`when a visitor opens ${path}, then every demo product is shown with its price and picture, without Add to Cart`, async () => {
      const page = await shop().newBrowser().get(path);
      assert.equal(page.status, 200);
      assert.deepEqual(productTitles(page.text), demoTitles);
      assert.match(page.text, /<p class="product__price">\$19\.99<\/p>/);
      assert.match(page.text, /<img src="\/images\/book\.svg" alt="A Great Book">/);
      assert.doesNotMatch(page.text, /Add to Cart/);
    });
  }

  test('when a visitor opens a product\'s details, then its title, price and description are shown', async () => {
    const id = await productIdOf('Coffee Mug');
    const listing = await shop().newBrowser().get('/products');
    assert.match(listing.text, new RegExp(`<a class="btn" href="/products/${id}">Details</a>`));

    const page = await shop().newBrowser().get(`/products/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<title>Coffee Mug<\/title>/);
    assert.match(page.text, /<h1>Coffee Mug<\/h1>/);
    assert.match(page.text, /\$9\.50/);
    assert.match(page.text, /Holds enough coffee for one long debugging session\./);
  });

  // 24 hex digits that name nothing, a word, and 12 characters mongoose would read as an ObjectId.
  for (const id of ['5f0c5a0e8c2b4a3d9e7f1a2b', 'not-a-product', '123456789012']) {
    test(`when the product id is "${id}", then the 404 page answers`, async () => {
      const page = await shop().newBrowser().get(`/products/${id}`);
      assert.equal(page.status, 404);
      assert.match(page.text, /<h1>Page not found<\/h1>/);
    });
  }

  test('when the stylesheet and a product picture are requested, then both are served', async () => {
    const browser = shop().newBrowser();
    const css = await browser.get('/css/main.css');
    assert.equal(css.status, 200);
    assert.match(css.headers['content-type'] ?? '', /text\/css/);
    const image = await browser.get('/images/book.svg');
    assert.equal(image.status, 200);
    assert.match(image.headers['content-type'] ?? '', /image\/svg\+xml/);
  });
});

describe('pages that need a login', () => {
  const protectedPages = ['/cart', '/orders', '/admin/products', '/admin/add-product'];

  for (const path of protectedPages) {
    test(`when an anonymous visitor opens ${path}, then they are sent to the login page`, async () => {
      const response = await shop().newBrowser().get(path);
      assert.equal(response.status, 302);
      assert.equal(response.location, '/login');
    });
  }

  test('when an anonymous visitor opens the edit page of a product, then they are sent to the login page', async () => {
    const response = await shop().newBrowser().get(`/admin/edit-product/${await productIdOf('Desk Lamp')}`);
    assert.equal(response.location, '/login');
  });

  const protectedForms = ['/cart', '/cart-delete-item', '/create-order', '/admin/add-product', '/admin/edit-product', '/admin/delete-product'];

  for (const path of protectedForms) {
    test(`when an anonymous visitor posts a valid form to ${path}, then they are sent to the login page and the catalog is unchanged`, async () => {
      const productId = await productIdOf('Desk Lamp');
      const fields = { productId, title: 'Hijacked', price: '1', description: 'Changed by nobody.', imageUrl: '/images/lamp.svg' };
      const response = await shop().newBrowser().submit(path, fields);
      assert.equal(response.status, 302);
      assert.equal(response.location, '/login');
      assert.deepEqual(productTitles((await shop().newBrowser().get('/products')).text), demoTitles);
    });
  }
});
