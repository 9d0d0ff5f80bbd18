import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freePort, startScript, type ScriptProcess } from '../test/support/child-process.ts';

/*
 * Lesson 11 in a real browser, against `npm run start:https` as a student runs it: production
 * behind the TLS proxy with its self-signed certificate (accepted here by ignoreHTTPSErrors, as the
 * student accepts it for one visit), and the shop's own port over plain HTTP. The course journey
 * cannot play this lesson: it runs one development server on http://localhost, and production is
 * another server with other cookie names (__Host-student), so its progress would be another's.
 */

test.use({ ignoreHTTPSErrors: true });

const doneTime = /Done (\d{1,2} \w{3} \d{4}, )?\d\d:\d\d/;

let server: ScriptProcess;
let dataDir: string;
let httpsUrl: string;
let httpUrl: string;

test.beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shop-https-e2e-'));
  const [port, httpsPort] = [await freePort(), await freePort()];
  httpsUrl = `https://localhost:${httpsPort}`;
  httpUrl = `http://localhost:${port}`;
  server = await startScript('scripts/start-https.ts', [], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HTTPS_PORT: String(httpsPort) },
    // The proxy listens once the shop answers.
    readyWhen: { tcp: httpsPort },
    timeoutMs: 60_000,
    stopTimeoutMs: 15_000,
    stderr: 'inherit',
  });
});
test.afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Production's demo passwords, from the file the script names. */
async function demoAccount(email: string): Promise<{ email: string; password: string }> {
  const list = await readFile(join(dataDir, 'https', 'demo-accounts.txt'), 'utf8');
  const password = new RegExp(`${email.replaceAll('.', '\\.')} / (\\S+)`).exec(list)?.[1];
  if (!password) throw new Error(`${email} is not in demo-accounts.txt: ${list}`);
  return { email, password };
}

async function logIn(page: Page, origin: string, { email, password }: { email: string; password: string }) {
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForLoadState('load');
}

const navigation = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('lesson 11 under npm run start:https: __Host-sid arrives Secure over HTTPS, a login over plain HTTP sets no session cookie, and the page shows HSTS', async ({ context }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: page error: ${error.message}`));
    return page;
  };
  const alice = await demoAccount('alice@example.com');

  // The lesson over HTTPS: the page it came with carried Strict-Transport-Security.
  const lessonTab = watch(await context.newPage());
  const response = await lessonTab.goto(`${httpsUrl}/lessons/https-in-production`);
  const hsts = response?.headers()['strict-transport-security'];
  expect(hsts).toBe('max-age=31536000; includeSubDomains');
  await expect(lessonTab.locator('[data-hsts]')).toHaveText(hsts!);
  await expect(lessonTab.locator('[data-step="hsts-seen"] .task__feedback')).toContainText(doneTime);

  // Step 1: log in over HTTPS.
  const shop = watch(await context.newPage());
  await logIn(shop, httpsUrl, alice);
  await expect(navigation(shop)).toContainText(alice.email);
  const sid = (await context.cookies(httpsUrl)).find(({ name }) => name === '__Host-sid');
  expect(sid?.secure).toBe(true);
  expect(sid?.path).toBe('/');
  await expect(lessonTab.locator('[data-step="https-secure-cookie"] .task__feedback')).toContainText(doneTime, { timeout: 10_000 });

  // Step 2: the shop's own port over plain HTTP. Chromium sends Secure cookies to http://localhost, so log out first.
  await shop.goto(`${httpUrl}/`);
  const logout = navigation(shop).getByRole('button', { name: 'Logout' });
  if (await logout.isVisible()) {
    await logout.click();
    await expect(navigation(shop).getByRole('link', { name: 'Login' })).toBeVisible();
  }
  const before = (await context.cookies(httpUrl)).find(({ name }) => name === '__Host-sid')?.value;
  await logIn(shop, httpUrl, alice);
  await expect(navigation(shop).getByRole('link', { name: 'Login' })).toBeVisible();
  expect((await context.cookies(httpUrl)).find(({ name }) => name === '__Host-sid')?.value).toBe(before);
  await expect(lessonTab.locator('[data-step="plain-http-no-cookie"] .task__feedback')).toContainText(doneTime, { timeout: 10_000 });

  expect(problems).toEqual([]);
});
