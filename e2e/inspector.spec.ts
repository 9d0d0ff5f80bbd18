import type { BrowserContext, Page } from '@playwright/test';
import type { SessionReport } from '../teaching/controllers/session-report.ts';
import { expect, test } from './support/app-server.ts';
import { screenshotsDir } from './support/screenshots.ts';
import { alice, bob, logIn } from './support/shop.ts';

/** The inspector open in its own tab, as a student would keep it beside the shop. */
async function openInspector(context: BrowserContext): Promise<Page> {
  const inspector = await context.newPage();
  await inspector.goto('/inspector');
  await expect(inspector.getByRole('status')).toContainText('Updated at');
  return inspector;
}

function fact(page: Page, term: string) {
  return page.locator('dt', { hasText: term }).first().locator('xpath=following-sibling::dd[1]');
}

async function saveScreenshot(page: Page, mode: string) {
  await page.screenshot({ path: `${screenshotsDir}inspector-${mode}.png`, fullPage: true });
}

/** The raw session id from the browser's own cookie jar: `s:<id>.<signature>`, URL-encoded. */
async function rawSessionId(context: BrowserContext): Promise<string> {
  const sid = (await context.cookies()).find((cookie) => cookie.name === 'sid');
  if (!sid) throw new Error('The browser holds no sid cookie.');
  const value = decodeURIComponent(sid.value);
  return value.slice('s:'.length, value.lastIndexOf('.'));
}

test.describe('session mode', () => {
  test.use({ appOptions: { authMode: 'session' } });

  test('when a student logs in, then the inspector shows the session record and a verified, taken-apart cookie, never the id', async ({ page, context }) => {
    await logIn(page, alice);
    const inspector = await openInspector(context);

    await expect(fact(inspector, 'You are')).toHaveText(alice.email);
    await expect(inspector.locator('#server-details')).toContainText('"isLoggedIn": true');
    await expect(inspector.locator('#server-details')).toContainText('The store holds 1 session');
    const sessionCookie = inspector.locator('#received-cookies li', { hasText: 'sid' });
    await expect(sessionCookie).toContainText('HttpOnly: the browser keeps it from JavaScript');
    await expect(sessionCookie).toContainText('verified with secret 1');
    await expect(inspector.locator('#script-cookies')).not.toContainText('sid');

    const id = await rawSessionId(context);
    expect(await inspector.content()).not.toContain(id);
    const report = await inspector.request.get('/api/session');
    expect(await report.text()).not.toContain(id);
    await saveScreenshot(inspector, 'session');
  });

  test('when a student logs in in another tab, then the inspector says its navigation is out of date and shows times as dates', async ({ page, context }) => {
    const inspector = await openInspector(context);
    await expect(inspector.locator('#navigation-stale')).toBeHidden();

    await logIn(page, alice);

    await expect(fact(inspector, 'You are')).toHaveText(alice.email);
    await expect(inspector.locator('#navigation-stale')).toBeVisible();
    await expect(inspector.locator('#server-details')).toContainText(/"createdAt": "\d{4}-\d\d-\d\dT/);
    await inspector.reload();
    await expect(inspector.locator('#navigation-stale')).toBeHidden();
  });

  test('when a student logs in in another tab, then the inspector timeline shows the login setting sid, as a fingerprint', async ({ page, context }) => {
    const inspector = await openInspector(context);
    await logIn(page, alice);

    const login = inspector.locator('#timeline-requests li', { hasText: 'POST /login' });
    await expect(login).toContainText('→ 302');
    await expect(login).toContainText(/sid = session id, fingerprint [0-9a-f]{16}; Path=\/; Expires=.*; HttpOnly; SameSite=Lax/);
    await expect(inspector.locator('#timeline-requests li', { hasText: 'GET /login' })).toBeVisible();
    expect(await inspector.content()).not.toContain(await rawSessionId(context));
  });

  test('when the inspector keeps polling, then it neither extends the session nor creates new ones', async ({ page, context, browser, appServer }) => {
    await logIn(page, alice);
    const first = (await (await context.request.get('/api/session')).json()) as SessionReport;
    // The expiry has millisecond precision: any poll that extended or saved the session would move it.
    for (let poll = 0; poll < 5; poll++) {
      const answer = await context.request.get('/api/session');
      expect(answer.headers()['set-cookie']).toBeUndefined();
      expect(((await answer.json()) as SessionReport).server).toEqual(first.server);
    }
    expect(first.server.kind).toBe('session');
    const stranger = await browser.newContext({ baseURL: appServer.url });
    const strangerReport = (await (await stranger.request.get('/api/session')).json()) as SessionReport;
    await stranger.close();
    expect(strangerReport.user).toBeNull();
    expect(strangerReport.server).toMatchObject({ kind: 'session', sessionCount: 1, cookieStatus: 'no cookie' });
  });

  test('when the signature of the session cookie is tampered with, then the inspector says it failed and nobody is logged in', async ({ page, context }) => {
    await logIn(page, alice);
    // Opened first: loading a page with a bad cookie would start a fresh session; polling never does.
    const inspector = await openInspector(context);
    const sid = (await context.cookies()).find((cookie) => cookie.name === 'sid')!;
    const value = decodeURIComponent(sid.value);
    const forged = `${value.slice(0, value.lastIndexOf('.') + 1)}${value.endsWith('A') ? 'B' : 'A'}`;
    await context.addCookies([{ ...sid, value: encodeURIComponent(forged) }]);

    await expect(inspector.locator('#received-cookies li', { hasText: 'sid' })).toContainText('FAILED');
    await expect(fact(inspector, 'You are')).toHaveText('nobody (logged out)');
    await expect(inspector.locator('#server-details')).toContainText('not signed with any of the server\'s secrets');
  });
});

test.describe('cookie mode', () => {
  test.use({ appOptions: { authMode: 'cookie' } });

  test('when a student forges the login cookies, then the inspector shows them to JavaScript and the server believing them', async ({ page, context, appServer }) => {
    await context.addCookies([
      { name: 'loggedIn', value: 'true', url: appServer.url },
      { name: 'userEmail', value: bob.email, url: appServer.url },
    ]);
    await page.goto('/');
    const inspector = await openInspector(context);

    await expect(fact(inspector, 'You are')).toHaveText(bob.email);
    await expect(inspector.locator('#server-summary')).toContainText('The server keeps nothing: it believes your cookies');
    await expect(inspector.locator('#script-cookies')).toContainText(`userEmail = ${bob.email}`);
    await expect(inspector.locator('#received-cookies')).toContainText('loggedIn = true (plain');
    await saveScreenshot(inspector, 'cookie');
  });
});

test.describe('global mode', () => {
  test.use({ appOptions: { authMode: 'global' } });

  test('when someone else logs in, then the inspector of a stranger shows the server variable holding that user', async ({ page, browser, appServer }) => {
    await logIn(page, alice);
    const stranger = await browser.newContext({ baseURL: appServer.url });
    const inspector = await openInspector(stranger);

    await expect(inspector.locator('#server-details')).toHaveText(`The server variable holds: ${alice.email}.`);
    await expect(fact(inspector, 'You are')).toHaveText(alice.email);
    await saveScreenshot(inspector, 'global');
    await stranger.close();
  });
});

test.describe('request mode', () => {
  test.use({ appOptions: { authMode: 'request' } });

  test('when a student logs in, then the inspector explains the login vanished with its request', async ({ page, context }) => {
    await logIn(page, alice);
    const inspector = await openInspector(context);

    await expect(fact(inspector, 'You are')).toHaveText('nobody (logged out)');
    await expect(inspector.locator('#server-summary')).toContainText('req.loggedInUserId is undefined');
    await saveScreenshot(inspector, 'request');
  });
});

test.describe('cookie-session mode', () => {
  test.use({ appOptions: { authMode: 'cookie-session' } });

  test('when a student logs in, then the inspector shows the login cookie decoded, its login.sig verified, and its size', async ({ page, context }) => {
    await logIn(page, alice);
    const inspector = await openInspector(context);

    await expect(fact(inspector, 'You are')).toHaveText(alice.email);
    const details = inspector.locator('#server-details');
    const detail = (term: string) => details.locator('dt', { hasText: term }).first().locator('xpath=following-sibling::dd[1]');
    await expect(details).toContainText('The signature verifies, so the server believes every word of it');
    await expect(details).toContainText('"userId":');
    await expect(details).toContainText('"loggedInAt":');
    const signature = (await context.cookies()).find((cookie) => cookie.name === 'login.sig');
    expect(signature).toBeDefined();
    await expect(detail('login.sig')).toHaveText(signature!.value);
    await expect(detail('signature check')).toContainText('verified: HMAC-SHA1 of "login=<value>" with secret 1');
    await expect(detail('size')).toContainText('of the 4096 a browser keeps for one cookie');
    await saveScreenshot(inspector, 'cookie-session');

    await context.addCookies([{ ...signature!, value: 'forged' }]);
    await expect(details).toContainText('The signature does not match');
    await expect(fact(inspector, 'You are')).toHaveText('nobody (logged out)');
  });
});
