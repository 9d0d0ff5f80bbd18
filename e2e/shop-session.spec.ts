/*
 * Lesson 6, "Where sessions live: memory or MongoDB" (teaching/lesson-catalog.ts): the same whole visit to
 * the shop, signup to logout, with each session store. Whichever store holds the sessions, a customer
 * stays logged in from page to page until they log out. Watch it:
 *   SLOW_MO=500 npm run test:login -- --headed --grep "session store"
 * logIn, expectLoggedInAs and expectLoggedOut are in e2e/support/shop.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from './support/app-server.ts';
import { expectLoggedInAs, expectLoggedOut, logIn } from './support/shop.ts';

/** A customer with a new, random email, so each run signs up someone new. */
function newCustomer() {
  return { email: `customer-${randomBytes(4).toString('hex')}@example.com`, password: 'a long enough password' };
}

async function signUp(page: Page, { email, password }: { email: string; password: string }) {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Signup' }).click();
  await expect(page.getByText('Your account is ready')).toBeVisible();
}

/** Presses "Add to Cart" on one product's card; the shop shows the cart next. */
async function addToCart(page: Page, title: string) {
  await page.goto('/products');
  const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: title }) });
  await card.getByRole('button', { name: 'Add to Cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);
}

for (const sessionStore of ['memory', 'mongodb'] as const) {
  test.describe(`${sessionStore} session store: a whole visit to the shop`, () => {
    test.use({ appOptions: { authMode: 'session', sessionStore } });

    test('a new customer signs up, logs in and orders two products; after logging out, the orders page asks for a login', async ({ page }) => {
      const customer = newCustomer();
      await signUp(page, customer);

      await logIn(page, customer);
      await expectLoggedInAs(page, customer.email);

      await addToCart(page, 'A Great Book');
      await addToCart(page, 'Coffee Mug');
      const cart = page.getByRole('main');
      await expect(cart.getByRole('heading', { level: 2 })).toHaveText(['A Great Book', 'Coffee Mug']);

      await page.getByRole('button', { name: 'Order Now!' }).click();
      await expect(page).toHaveURL(/\/orders$/);
      const order = page.getByRole('main').getByRole('listitem').filter({ hasText: 'Order #' });
      await expect(order).toHaveCount(1);
      await expect(order).toContainText('A Great Book (1)');
      await expect(order).toContainText('Coffee Mug (1)');

      await page.getByRole('button', { name: 'Logout' }).click();
      await expectLoggedOut(page);
      await page.goto('/orders');
      await expect(page).toHaveURL(/\/login$/);
    });
  });
}
