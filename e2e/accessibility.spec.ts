import type { Page } from '@playwright/test';
import { expect, test } from '../test/support/app-server.ts';
import { seriousViolations } from '../test/support/accessibility.ts';
import { openPanel } from '../test/support/instructor.ts';
import { logIn } from '../test/support/shop-page.ts';
import { demoUsers } from '../models/seed.ts';

/** A page, whatever it links back to: `?from=` only says where the panel's Restart returns (nine lessons link to it). */
function pageOf(path: string): string {
  const url = new URL(path, 'http://shop');
  url.searchParams.delete('from');
  return url.pathname + url.search;
}

/**
 * Every page a link reaches from `start`, each visited once (at most `limit`), and what axe-core finds
 * serious or critical on each HTML page, checked while it is open.
 */
async function violationsOnCrawl(page: Page, start: readonly string[], limit = 40): Promise<string[]> {
  const findings: string[] = [];
  const visited: string[] = [];
  const queue = [...start];
  for (let path = queue.shift(); path !== undefined && visited.length < limit; path = queue.shift()) {
    if (visited.includes(pageOf(path))) continue;
    visited.push(pageOf(path));
    const response = await page.goto(path);
    if (!response?.headers()['content-type']?.startsWith('text/html')) continue;
    findings.push(...(await seriousViolations(page)));
    const links = await page.locator('a[href^="/"]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    queue.push(...links.map((link) => link.split('#')[0] ?? '').filter((link) => link !== '' && !link.startsWith('/api/')));
  }
  return findings;
}

// Two tests, so the two halves of the crawl run side by side.
test('when axe-core checks every page a visitor reaches logged out, then it finds nothing serious or critical', async ({ page }) => {
  test.setTimeout(120_000); // about 20 pages, each analysed in the browser
  expect(await violationsOnCrawl(page, ['/', '/lessons', '/login', '/signup', '/no-such-page'])).toEqual([]);
});

test('when axe-core checks every page logged in, and the instructor panel and class view, then it finds nothing serious or critical', async ({ page, browser, appServer }) => {
  test.setTimeout(120_000);
  await logIn(page, demoUsers.bob);
  const findings = await violationsOnCrawl(page, ['/', '/cart', '/orders', '/account/sessions', '/account/password']);
  const panel = await openPanel(browser, appServer.url);
  findings.push(...(await seriousViolations(panel)));
  await panel.goto('/instructor/class');
  findings.push(...(await seriousViolations(panel)));
  await panel.context().close();
  expect(findings).toEqual([]);
});

test('when a browser asks for /favicon.ico, then it gets an icon', async ({ page }) => {
  const response = await page.goto('/favicon.ico');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-type']).toMatch(/icon/);
});

test('when a keyboard user tabs into a page, then the first stop skips to the main content', async ({ page }) => {
  await page.goto('/products');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});

test.describe('on a 375 px wide phone', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('when a page opens, then the navigation is one row with a Menu button that unfolds the links', async ({ page }) => {
    await page.goto('/');
    const header = page.locator('.main-header');
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(menu).toBeVisible();
    await expect(page.getByRole('link', { name: 'Products' })).toBeHidden();
    expect((await header.boundingBox())?.height).toBeLessThan(110);

    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products', exact: true })).toBeVisible();
  });
});

test('when bob opens his cart, orders and account, then each heading lines up with the content under it', async ({ page }) => {
  await logIn(page, demoUsers.bob);
  await page.goto('/products');
  await page.getByRole('article').filter({ hasText: 'Coffee Mug' }).getByRole('button', { name: 'Add to Cart' }).click();
  for (const [path, content] of [['/cart', '.cart__item'], ['/orders', '.orders__item'], ['/account/sessions', 'main p']] as const) {
    await page.goto(path);
    const heading = await page.getByRole('heading', { level: 1 }).boundingBox();
    const first = await page.locator(content).first().boundingBox();
    expect(Math.abs((heading?.x ?? 0) - (first?.x ?? -100)), path).toBeLessThanOrEqual(1);
  }
});
