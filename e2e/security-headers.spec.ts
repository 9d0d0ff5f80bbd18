import type { Page } from '@playwright/test';
import { expect, test } from '../test/support/app-server.ts';
import { logIn } from '../test/support/shop-page.ts';
import { demoUsers } from '../models/seed.ts';

test.use({ appOptions: { authMode: 'session' } });

/** Every Content Security Policy violation the browser reports, with the page it happened on. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  // Runs in the page before its own scripts; passed as text because this file is compiled without the DOM types.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline code')));`,
  });
  page.on('console', (message) => {
    if (/Content Security Policy|CSP violation/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  return violations;
}

/** Opens a page, checks it came with our policy, and lets its scripts run. */
async function visit(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.headers()['content-security-policy'], path).toContain("script-src 'self'");
  await page.waitForLoadState('networkidle');
}

/** The href of the first link on `path` whose address matches `pattern`. */
async function firstLink(page: Page, path: string, pattern: RegExp): Promise<string> {
  await visit(page, path);
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  const href = hrefs.find((candidate) => pattern.test(candidate));
  if (!href) throw new Error(`${path} links to nothing like ${pattern}`);
  return href;
}

test('when each kind of page is opened, logged out and logged in, then the browser reports no CSP violation', async ({ page }) => {
  test.setTimeout(120_000);
  const violations = await watchViolations(page);

  for (const path of ['/login', '/signup', '/no-such-page', '/instructor']) await visit(page, path);

  await logIn(page, demoUsers.alice);
  await page.getByRole('article').first().getByRole('button', { name: 'Add to Cart' }).click();
  const pages = [
    '/',
    '/products',
    await firstLink(page, '/products', /^\/products\/\w+$/),
    '/cart',
    '/orders',
    '/admin/add-product',
    '/admin/products',
    await firstLink(page, '/admin/products', /^\/admin\/edit-product\/\w+$/),
    '/account/sessions',
    '/account/password',
    '/inspector',
    '/lessons',
    await firstLink(page, '/lessons', /^\/lessons\/[\w-]+$/),
    '/lessons/cookie-attributes',
  ];
  for (const path of pages) await visit(page, path);

  expect(violations).toEqual([]);
});
