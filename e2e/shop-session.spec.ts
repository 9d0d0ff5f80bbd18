import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from './support/app-server.ts';
import { expectLoggedInAs, expectLoggedOut, logIn } from './support/shop.ts';

async function addToCart(page: Page, title: string) {
  await page.goto('/products');
  const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: title }) });
  await card.getByRole('button', { name: 'Add to Cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);
}

for (const sessionStore of ['memory', 'mongodb'] as const) {
  test.describe(`session mode with the ${sessionStore} store`, () => {
    test.use({ appOptions: { authMode: 'session', sessionStore } });

    test('when a new customer signs up, shops and orders, then cart and orders show the products and logout ends the login', async ({ page }) => {
      const customer = { email: `customer-${randomBytes(4).toString('hex')}@example.com`, password: 'a long enough password' };

      await page.goto('/signup');
      await page.getByLabel('Email').fill(customer.email);
      await page.getByLabel('Password', { exact: true }).fill(customer.password);
      await page.getByLabel('Confirm password').fill(customer.password);
      await page.getByRole('button', { name: 'Signup' }).click();
      await expect(page.getByText('Your account is ready')).toBeVisible();

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
