import { expect, test } from '../test/support/app-server.ts';
import type { Page } from '@playwright/test';
import { enterToken } from '../test/support/instructor.ts';
import { logIn } from '../test/support/shop-page.ts';
import { demoUsers } from '../models/seed.ts';

// India is 5:30 ahead of UTC: a moment shown in UTC, or in the server's zone, cannot pass for it.
test.use({ appOptions: { authMode: 'session' }, timezoneId: 'Asia/Kolkata' });

/** Every moment on the page at `path` shows as the clock in Kolkata, and none is left as a raw UTC instant. */
async function expectLocalTimes(page: Page, path: string) {
  await page.goto(path);
  const times = page.locator('main time[datetime]');
  await expect(times.first()).toBeVisible();
  for (const time of await times.all()) {
    const iso = (await time.getAttribute('datetime')) ?? '';
    const inKolkata = new Date(Date.parse(iso) + (5 * 60 + 30) * 60_000);
    const clock = `${String(inKolkata.getUTCHours()).padStart(2, '0')}:${String(inKolkata.getUTCMinutes()).padStart(2, '0')}`;
    await expect(time, `${path}: ${iso}`).toHaveText(new RegExp(`${clock}$`));
  }
  await expect(page.getByRole('main')).not.toContainText(/\d{4}-\d\d-\d\dT\d\d:\d\d|\bUTC\b/);
}

test('when a student places an order, then the orders page and the sessions page show each moment in the reader\'s time zone, in one 24-hour format', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await logIn(page, demoUsers.alice);
  await page.getByRole('button', { name: 'Add to Cart' }).first().click();
  await page.goto('/cart');
  await page.getByRole('button', { name: 'Order Now' }).click();
  for (const path of ['/orders', '/account/sessions']) await expectLocalTimes(page, path);
  expect(errors).toEqual([]);
});

test('when an instructor opens the panel, then each live session\'s expiry shows in the reader\'s time zone, in the same format', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await logIn(page, demoUsers.alice);
  await enterToken(page, '/instructor');
  await expectLocalTimes(page, '/instructor');
  expect(errors).toEqual([]);
});
