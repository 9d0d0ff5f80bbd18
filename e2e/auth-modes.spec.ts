import type { BrowserContext } from '@playwright/test';
import { expect, test } from './support/app-server.ts';
import { alice, bob, expectLoggedInAs, expectLoggedOut, logIn } from './support/shop.ts';

test.describe('cookie mode', () => {
  test.use({ appOptions: { authMode: 'cookie' } });

  test('when a visitor forges the login cookies, then the shop takes them for that user', async ({ page, context, appServer }) => {
    await context.addCookies([
      { name: 'loggedIn', value: 'true', url: appServer.url },
      { name: 'userEmail', value: bob.email, url: appServer.url },
    ]);

    await page.goto('/cart');

    await expect(page).toHaveURL(/\/cart$/);
    await expectLoggedInAs(page, bob.email);
  });
});

test.describe('global mode', () => {
  test.use({ appOptions: { authMode: 'global' } });

  test('when one visitor logs in, then a stranger in a fresh browser is logged in as that user too', async ({ page, browser, appServer }) => {
    await logIn(page, alice);

    const stranger = await browser.newContext({ baseURL: appServer.url });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto('/');

    await expectLoggedInAs(strangerPage, alice.email);
    await stranger.close();
  });
});

test.describe('request mode', () => {
  test.use({ appOptions: { authMode: 'request' } });

  test('when a visitor logs in, then the page after the redirect shows them logged out', async ({ page }) => {
    await logIn(page, alice);

    await expectLoggedOut(page);
  });
});

async function sessionCookie(context: BrowserContext) {
  const sid = (await context.cookies()).find((cookie) => cookie.name === 'sid');
  if (!sid) throw new Error('No sid cookie after logging in.');
  return sid;
}

test.describe('session mode', () => {
  test.use({ appOptions: { authMode: 'session' } });

  test('when the signature of the session cookie is tampered with, then the visitor is logged out without an error page', async ({ page, context }) => {
    await logIn(page, alice);
    await expectLoggedInAs(page, alice.email);
    const sid = await sessionCookie(context);
    // The first character of the signature carries six full bits of the HMAC.
    const signatureStart = sid.value.lastIndexOf('.') + 1;
    const flipped = sid.value[signatureStart] === 'A' ? 'B' : 'A';
    const tampered = sid.value.slice(0, signatureStart) + flipped + sid.value.slice(signatureStart + 1);
    await context.addCookies([{ ...sid, value: tampered }]);

    const response = await page.goto('/');

    expect(response?.status()).toBe(200);
    await expectLoggedOut(page);
  });

  test('when logged in, then page scripts cannot read the session cookie', async ({ page, context }) => {
    await logIn(page, alice);

    const sid = await sessionCookie(context);
    expect(sid.httpOnly).toBe(true);
    const visibleToScripts = await page.evaluate<string>('document.cookie');
    expect(visibleToScripts).not.toContain('sid=');
    expect(visibleToScripts).not.toContain(sid.value);
  });
});
