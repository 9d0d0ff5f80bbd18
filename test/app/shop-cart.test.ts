import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shopPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { loggedInBrowser, newCustomer, productIdOf } from '../support/shop.ts';

const shop = shopPerSuite();

/** The cart as its page shows it: one "title × quantity" per line. */
async function cartLines(browser: Browser): Promise<string[]> {
  const page = await browser.get('/cart');
  assert.equal(page.status, 200);
  return [...page.text.matchAll(/<h2>([^<]*)<\/h2>\s*<p>Quantity: <span class="cart__quantity">(\d+)<\/span>/g)].map(
    ([, title, quantity]) => `${title} × ${quantity}`,
  );
}

/** Every ordered line on the orders page, newest order first. */
async function orderedLines(browser: Browser): Promise<string[]> {
  const page = await browser.get('/orders');
  assert.equal(page.status, 200);
  return [...page.text.matchAll(/<li class="orders__products-item">([^<]*)<\/li>/g)].map((match) => match[1] ?? '');
}

async function addToCart(browser: Browser, title: string) {
  return browser.submit('/cart', { productId: await productIdOf(title) });
}

describe('cart', () => {
  test('when a product is added twice, then the cart shows it once with quantity 2 and the total', async () => {
    const customer = await newCustomer(shop());
    const response = await addToCart(customer, 'Coffee Mug');
    assert.equal(response.location, '/cart');
    await addToCart(customer, 'Coffee Mug');
    await addToCart(customer, 'Desk Lamp');

    assert.deepEqual(await cartLines(customer), ['Coffee Mug × 2', 'Desk Lamp × 1']);
    assert.match((await customer.get('/cart')).text, /Total: \$53\.00/);
  });

  test('when an item is deleted from the cart, then only the other items stay', async () => {
    const customer = await newCustomer(shop());
    await addToCart(customer, 'Coffee Mug');
    await addToCart(customer, 'Backpack');

    const response = await customer.submit('/cart-delete-item', { productId: await productIdOf('Coffee Mug') });
    assert.equal(response.location, '/cart');
    assert.deepEqual(await cartLines(customer), ['Backpack × 1']);
  });

  test('when the cart is empty, then the page says so and offers no order button', async () => {
    const page = await (await newCustomer(shop())).get('/cart');
    assert.match(page.text, /Your cart is empty\./);
    assert.doesNotMatch(page.text, /Order Now!/);
  });

  for (const productId of ['5f0c5a0e8c2b4a3d9e7f1a2b', 'not-a-product', '']) {
    test(`when "${productId}" is added to or deleted from the cart, then the 404 page answers and the cart is unchanged`, async () => {
      const customer = await newCustomer(shop());
      await addToCart(customer, 'Houseplant');
      for (const path of ['/cart', '/cart-delete-item']) {
        const response = await customer.submit(path, { productId });
        assert.equal(response.status, 404, path);
        assert.match(response.text, /<h1>Page not found<\/h1>/);
      }
      assert.deepEqual(await cartLines(customer), ['Houseplant × 1']);
    });
  }
});

describe('orders', () => {
  test('when the cart is ordered, then the order lists what was in it and the cart is empty', async () => {
    const customer = await newCustomer(shop());
    await addToCart(customer, 'Headphones');
    await addToCart(customer, 'Headphones');
    await addToCart(customer, 'A Great Book');

    const response = await customer.submit('/create-order', {});
    assert.equal(response.location, '/orders');
    assert.deepEqual(await orderedLines(customer), ['Headphones (2) at $59.90', 'A Great Book (1) at $19.99']);
    assert.deepEqual(await cartLines(customer), []);
  });

  test('when a product is edited after it was ordered, then the order still shows it as it was bought', async () => {
    const alice = await loggedInBrowser(shop(), 'alice@example.com', 'alice-secret');
    await alice.submit('/admin/add-product', {
      title: 'Limited Poster',
      price: '12.00',
      description: 'Printed once, sold once.',
      imageUrl: '/images/book.svg',
    });
    const customer = await newCustomer(shop());
    await addToCart(customer, 'Limited Poster');
    await customer.submit('/create-order', {});

    const productId = await productIdOf('Limited Poster');
    await alice.submit('/admin/edit-product', {
      productId,
      title: 'Reprinted Poster',
      price: '3.00',
      description: 'Printed again and again.',
      imageUrl: '/images/book.svg',
    });
    assert.match((await customer.get(`/products/${productId}`)).text, /<h1>Reprinted Poster<\/h1>/);
    assert.deepEqual(await orderedLines(customer), ['Limited Poster (1) at $12.00']);
  });

  test('when two customers order, then each sees only their own orders', async () => {
    const first = await newCustomer(shop());
    const second = await newCustomer(shop());
    await addToCart(first, 'Backpack');
    await first.submit('/create-order', {});

    assert.deepEqual(await orderedLines(first), ['Backpack (1) at $42.00']);
    assert.deepEqual(await orderedLines(second), []);
    assert.match((await second.get('/orders')).text, /No orders yet\./);
  });

  test('when an empty cart is ordered, then no order is placed', async () => {
    const customer = await newCustomer(shop());
    const response = await customer.submit('/create-order', {});
    assert.equal(response.location, '/cart');
    assert.deepEqual(await orderedLines(customer), []);
  });
});
