import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unsign } from 'cookie-signature';
import { appPerSuite, startTestApp } from '../support/app.ts';
import { Browser, parseSetCookie, type Reply } from '../support/browser.ts';
import { sessionCookieName, sessionIdOf } from '../support/session-cookie.ts';
import { demoUsers } from '../../models/seed.ts';

describe('the session cookie in session mode', () => {
  const shop = appPerSuite({ authMode: 'session' });

  /** Every Set-Cookie for the session cookie a visitor meets: login, logout (an anonymous visitor gets none). */
  async function sessionSetCookies(): Promise<string[]> {
    const browser = new Browser(shop().url);
    const replies: Reply[] = [await browser.get('/login')];
    replies.push(await browser.post('/login', { ...demoUsers.alice, _csrf: await browser.csrfToken('/login') }));
    replies.push(await browser.logOut());
    const headers = replies.flatMap((reply) => reply.setCookies).filter((header) => header.startsWith(`${sessionCookieName}=`));
    assert.equal(headers.length, 2, 'logged in, cleared');
    return headers;
  }

  test('S7 HttpOnly: every Set-Cookie of the session cookie is HttpOnly, so page scripts cannot read the id', async () => {
    for (const header of await sessionSetCookies()) assert.ok(parseSetCookie(header).attributes.has('httponly'), header);
  });

  test('S9 SameSite: every Set-Cookie of the session cookie says SameSite=Lax explicitly', async () => {
    for (const header of await sessionSetCookies()) assert.equal(parseSetCookie(header).attributes.get('samesite'), 'Lax', header);
  });

  test('S13 cookie name: the session cookie is called sid, not the framework default connect.sid', async () => {
    const browser = new Browser(shop().url);
    const login = await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    assert.deepEqual(login.setCookies.map((header) => parseSetCookie(header).name), [sessionCookieName]);
    assert.ok(!browser.cookies.has('connect.sid'));
  });

  test('S14 cookie content: in session mode the session cookie is s:<id>.<signature>, the id signed with the secret, and no cookie holds user data', async () => {
    const browser = new Browser(shop().url);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    // The visitor cookie holds the login form's CSRF token, signed, as in the other modes.
    assert.deepEqual([...browser.cookies.keys()].sort(), [sessionCookieName, 'visitor']);
    assert.doesNotMatch(decodeURIComponent(browser.cookies.get('visitor')!), /alice|example|userId|isLoggedIn/i);
    const value = decodeURIComponent(browser.cookies.get(sessionCookieName)!);
    assert.match(value, /^s:[\w-]{32}\.[\w+/]{43}$/);
    assert.equal(unsign(value.slice(2), shop().config.sessionSecrets[0]!), sessionIdOf(value), 'the signature is the HMAC of the id');
    assert.doesNotMatch(value, /alice|example|true/i);
  });
});

// Its own server after the first one stopped: the models share one mongoose connection.
describe('the login cookies in cookie mode', () => {
  test('S14 contrast: in cookie mode the cookies carry the login itself, readable and editable', async () => {
    const cookieShop = await startTestApp({ authMode: 'cookie' });
    try {
      const browser = new Browser(cookieShop.url);
      await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
      assert.equal(browser.cookies.get('loggedIn'), 'true');
      assert.equal(decodeURIComponent(browser.cookies.get('userEmail') ?? ''), demoUsers.alice.email);
    } finally {
      await cookieShop.stop();
    }
  });
});
