/*
 * Lessons 1, 2, 3, 5 and 10 (teaching/lesson-catalog.ts), played in a real browser:
 *   1 "Cookies live in the browser"                                cookie mode
 *   2 "Why not store the login on the request?"                    request mode
 *   3 "Why not a global variable?"                                 global mode
 *   5 "Sessions: a signed id in the cookie, the data on the server"  session mode
 *  10 "Signed cookies: can't forge, can't revoke"                   cookie-session mode
 * Each test starts its own shop in the mode its `describe` names. Watch them:
 *   SLOW_MO=500 npm run test:login -- --headed --grep "cookie mode"
 * logIn, expectLoggedInAs and expectLoggedOut (e2e/support/shop.ts) use the login form and read the
 * navigation bar, as a student would: "Logged in as …" with a Logout button, or a Login link.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, test } from './support/app-server.ts';
import { alice, bob, expectLoggedInAs, expectLoggedOut, logIn } from './support/shop.ts';

/** What a student types into the developer tools in lesson 1: no password, only two cookies. */
async function forgeLoginCookies(context: BrowserContext, shopUrl: string, email: string) {
  await test.step(`forge the cookies loggedIn=true and userEmail=${email}`, async () => {
    await context.addCookies([
      { name: 'loggedIn', value: 'true', url: shopUrl },
      { name: 'userEmail', value: email, url: shopUrl },
    ]);
  });
}

/** A second browser, with none of the first one's cookies, that opens the shop's home page. */
async function openInAFreshBrowser(browser: Browser, shopUrl: string): Promise<Page> {
  const stranger = await browser.newContext({ baseURL: shopUrl });
  const strangerPage = await stranger.newPage();
  await strangerPage.goto('/');
  return strangerPage;
}

/** The sid cookie express-session set: `s:<id>.<signature>`. */
async function sessionCookie(context: BrowserContext) {
  const sid = (await context.cookies()).find((cookie) => cookie.name === 'sid');
  if (!sid) throw new Error('No sid cookie after logging in.');
  return sid;
}

/** What a student does in lesson 5: change one character of the signature, keep the id. */
async function editSignatureOfSessionCookie(context: BrowserContext) {
  await test.step('edit one character of the signature in the sid cookie', async () => {
    const sid = await sessionCookie(context);
    // The first character of the signature carries six full bits of the HMAC.
    const signatureStart = sid.value.lastIndexOf('.') + 1;
    const flipped = sid.value[signatureStart] === 'A' ? 'B' : 'A';
    const tampered = sid.value.slice(0, signatureStart) + flipped + sid.value.slice(signatureStart + 1);
    await context.addCookies([{ ...sid, value: tampered }]);
  });
}

/** Both cookies of a cookie-session login: `login` (the login as base64 JSON) and `login.sig` (its HMAC). */
async function signedLoginCookies(context: BrowserContext) {
  const cookies = await context.cookies();
  const login = cookies.find((cookie) => cookie.name === 'login');
  const signature = cookies.find((cookie) => cookie.name === 'login.sig');
  if (!login || !signature) throw new Error('No login and login.sig cookies after logging in.');
  return { login, signature };
}

/** What a student does first in lesson 10: change one character of the login cookie, keep its login.sig. */
async function editSignedLoginCookie(context: BrowserContext) {
  await test.step('edit one character of the login cookie', async () => {
    const { login } = await signedLoginCookies(context);
    const edited = (login.value.startsWith('e') ? 'f' : 'e') + login.value.slice(1);
    await context.addCookies([{ ...login, value: edited }]);
  });
}

// Lesson 1: the browser keeps the login, so the browser's user can write it.
test.describe('cookie mode: the login is two cookies the browser keeps', () => {
  test.use({ appOptions: { authMode: 'cookie' } });

  test('an edited loggedIn cookie logs you in as someone else, without a password', async ({ page, context, appServer }) => {
    await forgeLoginCookies(context, appServer.url, bob.email);

    await page.goto('/cart');

    await expect(page).toHaveURL(/\/cart$/);
    await expectLoggedInAs(page, bob.email);
  });
});

// Lesson 2: a request object lives for one request; the redirect after the login is the next one.
test.describe('request mode: the login is kept on the request object', () => {
  test.use({ appOptions: { authMode: 'request' } });

  test('the login is accepted, and the page it redirects to shows you logged out again', async ({ page }) => {
    await logIn(page, alice);

    await expectLoggedOut(page);
  });
});

// Lesson 3: one variable in the server process, shared by every visitor.
test.describe('global mode: the login is one variable in the server', () => {
  test.use({ appOptions: { authMode: 'global' } });

  test('once you log in, a stranger in another browser is logged in as you', async ({ page, browser, appServer }) => {
    await logIn(page, alice);

    const strangerPage = await openInAFreshBrowser(browser, appServer.url);

    await expectLoggedInAs(strangerPage, alice.email);
    await strangerPage.context().close();
  });
});

// Lesson 5: the cookie carries a random id and its signature; the login stays on the server.
test.describe('session mode: the cookie holds a signed session id', () => {
  test.use({ appOptions: { authMode: 'session' } });

  test('an edited session cookie is refused: you are logged out, and no error page shows', async ({ page, context }) => {
    await logIn(page, alice);
    await expectLoggedInAs(page, alice.email);
    await editSignatureOfSessionCookie(context);

    const response = await page.goto('/');

    expect(response?.status()).toBe(200);
    await expectLoggedOut(page);
  });

  test('page scripts cannot read the session cookie (it is HttpOnly)', async ({ page, context }) => {
    await logIn(page, alice);

    const sid = await sessionCookie(context);
    expect(sid.httpOnly).toBe(true);
    const visibleToScripts = await page.evaluate<string>('document.cookie');
    expect(visibleToScripts).not.toContain('sid=');
    expect(visibleToScripts).not.toContain(sid.value);
  });
});

// Lesson 10: the whole login is in a cookie the server signs, and the server keeps no record of it.
test.describe('cookie-session mode: the whole login is in a signed cookie', () => {
  test.use({ appOptions: { authMode: 'cookie-session' } });

  test('an edited login cookie is refused: its signature no longer matches, and you are logged out', async ({ page, context }) => {
    await logIn(page, alice);
    await expectLoggedInAs(page, alice.email);
    await editSignedLoginCookie(context);

    const response = await page.goto('/');

    expect(response?.status()).toBe(200);
    await expectLoggedOut(page);
  });

  test('a copy of the login cookies made before logging out logs you back in after it', async ({ page, context }) => {
    await logIn(page, alice);
    const { login, signature } = await signedLoginCookies(context);
    await page.getByRole('button', { name: 'Logout' }).click();
    await expectLoggedOut(page);

    await test.step('put the copied login and login.sig back', () => context.addCookies([login, signature]));
    await page.goto('/');

    await expectLoggedInAs(page, alice.email);
  });
});
