import { expect, test } from '../test/support/app-server.ts';
import { expectLoggedInAs, expectLoggedOut, logIn } from '../test/support/shop-page.ts';
import { demoUsers } from '../models/seed.ts';

const pageLimit = 40;

test.use({ appOptions: { authMode: 'session', sessionStore: 'mongodb' } });

test('S7 HttpOnly: the browser keeps the session cookie from page scripts: document.cookie does not contain it', async ({ page, context }) => {
  await logIn(page, demoUsers.alice);
  const sid = (await context.cookies()).find(({ name }) => name === 'sid');
  expect(sid?.httpOnly).toBe(true);
  expect(sid?.sameSite).toBe('Lax');
  const visibleToScripts = await page.evaluate<string>('document.cookie');
  expect(visibleToScripts).not.toContain(sid!.value);
  expect(visibleToScripts).not.toContain('sid=');
});

test('S15 Back after logout: the cart that was on screen is not shown again from the cache', async ({ page }) => {
  await logIn(page, demoUsers.alice);
  await page.goto('/products');
  const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Coffee Mug' }) });
  await card.getByRole('button', { name: 'Add to Cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByRole('main').getByRole('heading', { name: 'Coffee Mug' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Logout' }).click();
  await expectLoggedOut(page);
  await page.goBack();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('main').getByRole('heading', { name: 'Coffee Mug' })).toHaveCount(0);
  await expectLoggedOut(page);
});

test('S16 logout control: every page a logged-in user can reach by a link shows the Logout button', async ({ page }) => {
  await logIn(page, demoUsers.alice);
  const visited = new Set<string>();
  const queue = ['/'];
  for (let path = queue.shift(); path !== undefined && visited.size < pageLimit; path = queue.shift()) {
    if (visited.has(path)) continue;
    visited.add(path);
    const response = await page.goto(path);
    if (!response?.headers()['content-type']?.startsWith('text/html')) continue;
    await expectLoggedInAs(page, demoUsers.alice.email);
    const links = await page.locator('a[href^="/"]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    queue.push(...links.map((link) => link.split('#')[0] ?? '').filter((link) => link !== '' && !visited.has(link)));
  }
  for (const protectedPage of ['/cart', '/orders', '/admin/products', '/admin/add-product']) expect([...visited]).toContain(protectedPage);
});
