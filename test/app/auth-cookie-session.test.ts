import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { User } from '../../models/user.ts';
import { selfSignedCertificate, startTlsProxy } from '../support/tls.ts';
import { appPerTest, startTestApp, type TestApp } from '../support/app.ts';
import { Browser, parseSetCookie } from '../support/browser.ts';
import { startRestartableShop } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);
const startRestartable = appPerTest(startRestartableShop);
const instructorToken = 'cookie-session-instructor-token';

/** The login cookie's value decoded, as anyone holding the cookie can. */
function decode(value: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>;
}

function encode(data: unknown): string {
  return Buffer.from(JSON.stringify(data)).toString('base64');
}

/** A new browser logged in as alice. */
async function loggedIn(shop: TestApp): Promise<Browser> {
  const { email, password } = demoUsers.alice;
  const browser = shop.newBrowser();
  const response = await browser.logIn(email, password);
  assert.equal(response.status, 302);
  assert.equal(await browser.whoIsLoggedIn(), email);
  return browser;
}

/** What the browser holds for the login: both cookies, as a student copies them in the developer tools. */
function copyOfLogin(browser: Browser): { login: string; sig: string } {
  const login = browser.cookies.get('login');
  const sig = browser.cookies.get('login.sig');
  assert.ok(login && sig, `the browser holds login and login.sig (has ${[...browser.cookies.keys()].join(', ')})`);
  return { login, sig };
}

function planted(shop: TestApp, { login, sig }: { login: string; sig: string }): Browser {
  const browser = shop.newBrowser();
  browser.cookies.set('login', login);
  browser.cookies.set('login.sig', sig);
  return browser;
}

describe('cookie-session mode', () => {
  test('when alice logs in, then her login is a login cookie of base64 JSON beside a login.sig HMAC, HttpOnly, SameSite=Lax, for the absolute lifetime', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const browser = shop.newBrowser();
    const before = Date.now();
    const response = await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    const [login, sig] = ['login', 'login.sig'].map((name) => {
      const header = response.setCookies.find((cookie) => cookie.startsWith(`${name}=`));
      assert.ok(header, `the login sets ${name} (got ${response.setCookies.join(' | ')})`);
      return parseSetCookie(header);
    });
    for (const { attributes } of [login!, sig!]) {
      assert.ok(attributes.has('httponly'));
      assert.equal(attributes.get('samesite'), 'lax');
      assert.equal(attributes.get('path'), '/');
      assert.ok(!attributes.has('secure'), 'plain HTTP outside production');
      const expires = Date.parse(attributes.get('expires') ?? '');
      assert.ok(Math.abs(expires - (before + shop.config.sessionLifetime.absoluteMs)) < 5_000, `expires after the absolute lifetime: ${attributes.get('expires')}`);
    }
    const alice = await User.findOne({ email: 'alice@example.com' });
    // Readable by anyone: signed, not encrypted.
    const data = decode(login!.value);
    assert.equal(data.userId, alice?.id);
    assert.equal(typeof data.loggedInAt, 'number');
    // keygrip's default: HMAC-SHA1 of "login=<value>", base64url without padding, with the first secret.
    const expected = createHmac('sha1', shop.config.sessionSecrets[0]!).update(`login=${login!.value}`).digest('base64url');
    assert.equal(sig!.value, expected);
    assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
    assert.equal((await browser.get('/cart')).status, 200);
  });

  test('when the value is changed to name bob, then nobody is logged in, and the server expires the .sig cookie', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const copy = copyOfLogin(await loggedIn(shop));
    const bob = await User.findOne({ email: 'bob@example.com' });
    const forged = planted(shop, { login: encode({ ...decode(copy.login), userId: bob?.id }), sig: copy.sig });
    const page = await forged.get('/');
    assert.equal(await forged.whoIsLoggedIn(), undefined);
    assert.ok(page.setCookies.some((cookie) => /^login\.sig=;/.test(cookie)), page.setCookies.join(' | '));
    assert.equal((await forged.get('/cart')).location, '/login');
  });

  test('when only the signature is changed, or missing, then nobody is logged in', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const copy = copyOfLogin(await loggedIn(shop));
    const flipped = `${copy.sig.slice(0, -1)}${copy.sig.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(await planted(shop, { ...copy, sig: flipped }).whoIsLoggedIn(), undefined);
    const unsigned = shop.newBrowser();
    unsigned.cookies.set('login', copy.login);
    assert.equal(await unsigned.whoIsLoggedIn(), undefined);
  });

  test('when alice logs out, then her browser drops both cookies, but a copy taken before still logs in as alice', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const browser = await loggedIn(shop);
    const copy = copyOfLogin(browser);
    const logout = await browser.logOut();
    assert.ok(logout.setCookies.some((cookie) => /^login=;/.test(cookie)), logout.setCookies.join(' | '));
    // cookie-session signs even the empty value; the past Expires is what drops it.
    assert.ok(logout.setCookies.some((cookie) => /^login\.sig=[^;]*;.*expires=Thu, 01 Jan 1970/.test(cookie)), logout.setCookies.join(' | '));
    assert.equal(await browser.whoIsLoggedIn(), undefined);
    const replay = planted(shop, copy);
    assert.equal(await replay.whoIsLoggedIn(), 'alice@example.com');
    assert.equal((await replay.get('/cart')).status, 200);
  });

  test('when a form comes without the CSRF token, then it is refused, as in every mode, and the login stays', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const browser = await loggedIn(shop);
    const forged = await browser.post('/logout', {});
    assert.equal(forged.status, 403);
    assert.ok(!forged.setCookies.some((cookie) => cookie.startsWith('login=')), 'the login cookie is left alone');
    const wrongToken = await browser.post('/cart', { productId: '000000000000000000000000', _csrf: 'not-the-token' });
    assert.equal(wrongToken.status, 403);
    assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
  });

  test('when the server restarts with the same secret, then the login is still there: it never lived in the process', async () => {
    const restartable = await startRestartable({ authMode: 'cookie-session', sessionStore: 'memory' });
    await restartable.shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await restartable.restart();
    assert.equal(await restartable.shop.browser.whoIsLoggedIn(), 'alice@example.com');
  });

  test('when the absolute lifetime has passed since the login, then the server refuses the copy, whatever Expires said', async () => {
    const shop = await start({ authMode: 'cookie-session', sessionLifetime: { idleMs: 60_000, absoluteMs: 1_500 } });
    const copy = copyOfLogin(await loggedIn(shop));
    assert.equal(await planted(shop, copy).whoIsLoggedIn(), 'alice@example.com');
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const late = planted(shop, copy);
    const page = await late.get('/');
    assert.equal(await late.whoIsLoggedIn(), undefined);
    assert.ok(page.setCookies.some((cookie) => /^login=;/.test(cookie)), 'the server asks the browser to drop it');
  });

  test('when alice changes her password, then her login in another browser and a copy of her cookie still log in', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const [here, elsewhere] = [await loggedIn(shop), await loggedIn(shop)];
    const copy = copyOfLogin(elsewhere);
    const change = await here.submit(
      '/account/password',
      { currentPassword: demoUsers.alice.password, newPassword: 'a new password', confirmPassword: 'a new password' },
      '/account/password',
    );
    assert.equal(change.status, 302);
    assert.match((await here.get('/account/sessions')).text, /Your password has been changed\.</);
    assert.equal(await elsewhere.whoIsLoggedIn(), 'alice@example.com');
    assert.equal(await planted(shop, copy).whoIsLoggedIn(), 'alice@example.com');
    assert.match((await elsewhere.get('/account/sessions')).text, /changing your password does not change that/);
  });

  test('when the instructor opens the panel, then it lists no logins, says why, and refuses to end them', async () => {
    const shop = await start({ authMode: 'cookie-session', instructorToken });
    await loggedIn(shop);
    const instructor = shop.newBrowser();
    await instructor.submit('/instructor/token', { token: instructorToken }, '/instructor');
    const panel = await instructor.get('/instructor');
    assert.equal(panel.status, 200);
    assert.match(panel.text, /this panel can neither list these logins nor end one/);
    assert.doesNotMatch(panel.text, /End all sessions/);
    const endAll = await instructor.submit('/instructor/sessions/end-all', {}, '/instructor');
    assert.equal(endAll.status, 302);
    assert.match((await instructor.get('/instructor')).text, /a signed cookie cannot be ended before it expires/);
  });

  test('when the instructor switches a running server to cookie-session, then the next login is a signed cookie', async () => {
    const shop = await start({ authMode: 'session', instructorToken });
    const instructor = shop.newBrowser();
    await instructor.submit('/instructor/token', { token: instructorToken }, '/instructor');
    await instructor.submit('/instructor/settings', { authMode: 'cookie-session', sessionStore: 'memory' }, '/instructor');
    const browser = await loggedIn(shop);
    assert.ok(browser.cookies.has('login') && browser.cookies.has('login.sig'));
    assert.ok(!browser.cookies.has('sid'));
    assert.match((await browser.get('/')).text, /auth mode: cookie-session · session store: none/);
  });

  test('when the inspector asks, then it shows the login cookie decoded, its .sig verified, and its size', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const browser = await loggedIn(shop);
    const report = (await browser.get('/api/session')).json<{
      user: string | null;
      server: { kind: string; cookieStatus: string; cookie: { decoded: { userId: string }; signature: string; secretNumber: number; bytes: number; limit: number } };
    }>();
    assert.equal(report.user, 'alice@example.com');
    assert.equal(report.server.kind, 'cookie-session');
    assert.equal(report.server.cookieStatus, 'valid');
    assert.equal(report.server.cookie.signature, browser.cookies.get('login.sig'));
    assert.equal(report.server.cookie.secretNumber, 1);
    assert.equal(report.server.cookie.decoded.userId, (await User.findOne({ email: 'alice@example.com' }))?.id);
    assert.equal(report.server.cookie.bytes, `login${browser.cookies.get('login')}`.length);
    assert.equal(report.server.cookie.limit, 4096);
    browser.cookies.set('login.sig', 'forged');
    const forged = (await browser.get('/api/session')).json<{ user: string | null; server: { cookieStatus: string } }>();
    assert.equal(forged.user, null);
    assert.equal(forged.server.cookieStatus, 'bad signature');
  });

  test('when it runs in production behind HTTPS, then both cookies are __Host-login and __Host-login.sig, Secure, Path=/, without Domain', async () => {
    const shop = await start({ authMode: 'cookie-session', nodeEnv: 'production', isProduction: true, sessionSecrets: [randomBytes(32).toString('hex')], trustProxy: ['loopback'] });
    const certificate = await selfSignedCertificate();
    const proxy = await startTlsProxy(shop.url, certificate);
    try {
      const browser = new Browser(proxy.url, { ca: certificate.cert });
      const [email, password] = [`signed-${randomBytes(4).toString('hex')}@example.com`, randomBytes(12).toString('hex')];
      assert.equal((await browser.signUp(email, password)).status, 302);
      const login = await browser.logIn(email, password);
      for (const name of ['__Host-login', '__Host-login.sig']) {
        const header = login.setCookies.find((cookie) => cookie.startsWith(`${name}=`));
        assert.ok(header, `the login sets ${name} (got ${login.setCookies.join(' | ')})`);
        const { attributes } = parseSetCookie(header);
        assert.ok(attributes.has('secure') && attributes.has('httponly'), header);
        assert.equal(attributes.get('path'), '/', header);
        assert.ok(!attributes.has('domain'), header);
      }
      assert.equal(await browser.whoIsLoggedIn(), email);
    } finally {
      await proxy.close();
    }
  });
});
