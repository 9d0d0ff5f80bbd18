import type { Page } from '@playwright/test';
import { expect, test } from '../test/support/app-server.ts';
import { demoUsers } from '../models/seed.ts';
import { loggedInEmailIn } from '../test/support/browser.ts';

/*
 * The README's cluster demos, played in a real browser: `npm run cluster -- --workers=3` with the
 * memory store and with MongoDB. Every response closes its connection, so each request goes to the
 * next worker, as behind a load balancer without sticky sessions. Which worker gets the POST then
 * depends on how many requests came between it and the form (the page's stylesheet and script, the
 * student's other tabs): the attempts vary that count over every worker.
 */

const workers = 3;

type LoginOutcome = { kind: 'refused'; explanation: string } | { kind: 'logged in'; worker: string };

/** `requestsBetween`: requests from elsewhere in the browser between the form and the POST. */
async function tryToLogIn(page: Page, requestsBetween: number): Promise<LoginOutcome> {
  await page.goto('/login');
  for (let request = 0; request < requestsBetween; request += 1) await page.request.get('/healthz');
  await page.getByLabel('Email').fill(demoUsers.alice.email);
  await page.getByLabel('Password', { exact: true }).fill(demoUsers.alice.password);
  const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/login'));
  await page.getByRole('button', { name: 'Login' }).click();
  const response = await answer;
  await page.waitForLoadState();
  if (response.status() === 403) {
    await expect(page.getByRole('heading', { name: 'Form expired' })).toBeVisible();
    return { kind: 'refused', explanation: (await page.locator('.error-explanation').textContent()) ?? '' };
  }
  expect(response.status()).toBe(302);
  return { kind: 'logged in', worker: (await response.headerValue('x-served-by')) ?? '' };
}

/**
 * The worker and the user of each page, asked one request at a time with the browser's cookies.
 * One request is one connection, so consecutive pages go round the workers (a page load in the
 * browser would add its stylesheet and scripts, and could land every page on one worker).
 */
async function pagesOver(page: Page, paths: readonly string[]) {
  const pages = [];
  for (const path of paths) {
    const response = await page.request.get(path);
    expect(response.status()).toBe(200);
    const user = loggedInEmailIn(await response.text()) ?? null;
    pages.push({ worker: response.headers()['x-served-by'], user });
  }
  return pages;
}

const workerNote = (page: Page) => page.locator('.mode-warning', { hasText: 'Several workers, each with its own memory.' });

test.describe('the cluster demo with the memory store', () => {
  test.use({ appOptions: { workers, sessionStore: 'memory' } });

  test('when a student logs in, then the login lives in the worker that took it: pages from the others show nobody logged in', async ({ page }) => {
    await page.goto('/');
    await expect(workerNote(page)).toContainText('A store all workers share (MongoDB) or sticky sessions fixes this.');

    // The login form's token travels in the signed visitor cookie, which every worker can check.
    const login = await tryToLogIn(page, 0);
    if (login.kind !== 'logged in') throw new Error(`the login was refused: ${login.explanation}`);

    const pages = await pagesOver(page, ['/', '/products', '/', '/products', '/', '/products']);
    const users = new Map(pages.map(({ worker, user }) => [worker, user]));
    expect(users.size).toBe(workers);
    for (const [worker, user] of users) expect(user, `${worker} shows`).toBe(worker === login.worker ? demoUsers.alice.email : null);
  });
});

test.describe('the cluster demo with the memory store, a form', () => {
  test.use({ appOptions: { workers, sessionStore: 'memory' } });

  test('when a form opened while logged in is posted to another worker, then the 403 page names both workers and the fix', async ({ page }) => {
    const login = await tryToLogIn(page, 0);
    if (login.kind !== 'logged in') throw new Error(`the login was refused: ${login.explanation}`);
    // One request at a time, as pagesOver: the page with the form comes from the worker that knows
    // the login, and the POST, one request later, from the next worker.
    let form: Record<string, string> | undefined;
    for (let attempt = 0; attempt < workers && form === undefined; attempt += 1) {
      form = addToCartForm(await (await page.request.get('/products')).text());
    }
    if (form === undefined) throw new Error('no worker showed the logged-in product list');
    expect(form._servedBy).toBe(login.worker);
    const refused = await page.request.post('/cart', { form, maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    const postWorker = refused.headers()['x-served-by'];
    expect(postWorker).not.toBe(login.worker);
    const text = await refused.text();
    expect(text).toContain('Form expired');
    expect(text).toContain(`The form came from ${login.worker}, but this POST reached ${postWorker}.`);
    expect(text).toContain('sticky sessions');
  });
});

/** The hidden fields of a product list's first "Add to Cart" form; undefined when it has none (nobody logged in). */
function addToCartForm(html: string): Record<string, string> | undefined {
  const form = /<form action="\/cart" method="POST">([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (form === undefined) return undefined;
  return Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [name!, value!]));
}

test.describe('the cluster demo with the MongoDB store', () => {
  test.use({ appOptions: { workers, sessionStore: 'mongodb' } });

  test('when a student logs in, then every login works, whichever worker takes it, and every worker knows it', async ({ page }) => {
    const outcomes: LoginOutcome[] = [];
    for (let attempt = 0; attempt < workers; attempt += 1) outcomes.push(await tryToLogIn(page, attempt));
    expect(outcomes.map(({ kind }) => kind)).toEqual(Array(workers).fill('logged in'));

    const pages = await pagesOver(page, ['/', '/products', '/cart', '/orders', '/', '/products']);
    expect(new Set(pages.map(({ worker }) => worker)).size).toBe(workers);
    for (const { worker, user } of pages) expect(user, `${worker} shows`).toBe(demoUsers.alice.email);
    await expect(workerNote(page)).toHaveCount(0);
  });
});
