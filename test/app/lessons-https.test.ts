import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startProductionBehindTls, type ProductionBehindTls, type TlsProxy } from '../security/support/tls.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { becomeStudent, completedSteps, shownFeedback, stepHint } from '../support/lessons.ts';

/*
 * Lesson 11, HTTPS in production: the shop runs as production behind a TLS-terminating proxy on
 * this machine (TRUST_PROXY=loopback), as `npm run start:https` runs it. A browser on localhost
 * sends its cookies to both addresses (cookies ignore the port, and Chrome and Firefox send Secure
 * cookies to http://localhost), so the test's two clients share one cookie jar.
 */

const lessonPage = '/lessons/https-in-production';

/** The mode box's sentences that are not hidden: what the student reads about the server. */
function shownModeStatus(html: string): string {
  return [...html.matchAll(/<p class="mode-status [^"]*"([^>]*)>([\s\S]*?)<\/p>/g)]
    .filter(([, attributes]) => !/\bhidden\b/.test(attributes!))
    .map(([, , text]) => text)
    .join('\n');
}

describe('lesson 11: HTTPS in production', () => {
  let production: ProductionBehindTls;
  let shop: TestApp;
  let proxy: TlsProxy;
  let ca: string;
  before(async () => {
    production = await startProductionBehindTls({ trustProxy: ['loopback'] });
    ({ shop, proxy, ca } = production);
  });
  after(() => production.stop());

  /** A student over HTTPS with an account of their own (production seeds no known password), and the same browser on the plain-HTTP port. */
  async function student() {
    const [email, password] = [`lesson11-${randomBytes(4).toString('hex')}@example.com`, randomBytes(12).toString('hex')];
    assert.equal((await new Browser(proxy.url, { ca }).signUp(email, password)).status, 302);
    const secure = new Browser(proxy.url, { ca });
    await becomeStudent(secure);
    const plain = new Browser(shop.url);
    const share = (from: Browser, to: Browser) => {
      to.cookies.clear();
      for (const [name, value] of from.cookies) to.cookies.set(name, value);
    };
    return { secure, plain, email, password, share };
  }

  test('when a student opens lesson 11, then it is the last lesson, with the recap, its start command, and the code that names the cookies', async () => {
    const page = await new Browser(proxy.url, { ca }).get(lessonPage);
    assert.equal(page.status, 200);
    assert.match(page.text, /Lesson 11 of 11/);
    assert.match(page.text, /HTTPS in production/);
    assert.match(page.text, /id="recap-heading"/);
    assert.match(page.text, /npm run start:https/);
    assert.match(page.text, /sessions\/app-cookie\.ts<\/code>, lines/);
    assert.match(shownModeStatus(page.text), /runs in <strong>session<\/strong> mode .*, as production: ready for this task/s);
    assert.doesNotMatch(shownModeStatus(page.text), /npm run start:https/);
  });

  test('when a student logs in over HTTPS, then __Host-sid arrives with Secure and the first step is done', async () => {
    const { secure, email, password } = await student();
    assert.match((await stepHint(secure, 'https-secure-cookie')) ?? '', /came over HTTPS\. Log in on this address/);
    const login = await secure.logIn(email, password);
    const cookie = login.setCookies.find((header) => header.startsWith('__Host-sid='));
    assert.ok(cookie, `the login sets __Host-sid (got ${login.setCookies.join(' | ')})`);
    assert.match(cookie, /; Secure/);
    assert.equal(await secure.whoIsLoggedIn(), email);
    assert.ok((await completedSteps(secure)).includes('https-secure-cookie'));
  });

  test('when a student logs in over plain HTTP with the right password, then no session cookie is set, they stay a stranger, and the second step is done', async () => {
    const { secure, plain, email, password, share } = await student();
    share(secure, plain);
    assert.match((await stepHint(plain, 'plain-http-no-cookie')) ?? '', /came over plain HTTP\. Log in on this address/);
    const login = await plain.logIn(email, password);
    assert.equal(login.status, 302, 'the password was right: the login redirects');
    assert.deepEqual(login.setCookies.filter((header) => /^(__Host-)?sid=/.test(header)), [], 'no session cookie over plain HTTP');
    assert.equal(await plain.whoIsLoggedIn(), undefined);
    const steps = await completedSteps(plain);
    assert.ok(steps.includes('plain-http-no-cookie'), steps.join(', '));
    assert.ok(!steps.includes('https-secure-cookie'));
  });

  test('when a student gets the password wrong over plain HTTP, then the second step is not done', async () => {
    const { secure, plain, email, share } = await student();
    share(secure, plain);
    await plain.logIn(email, 'not-the-password');
    assert.ok(!(await completedSteps(plain)).includes('plain-http-no-cookie'));
  });

  test('when a student opens lesson 11 over HTTPS, then the page shows the Strict-Transport-Security header it came with and the third step is done', async () => {
    const { secure, plain, share } = await student();
    share(secure, plain);
    const overHttp = await plain.get(lessonPage);
    assert.match(overHttp.text, /came to you over plain <strong>HTTP<\/strong>/);
    assert.match(overHttp.text, /which a browser ignores over plain HTTP/);
    assert.ok(!(await completedSteps(plain)).includes('hsts-seen'), 'not over plain HTTP');
    const page = await secure.get(lessonPage);
    const shown = /<span data-hsts>([^<]+)<\/span>/.exec(page.text)?.[1];
    assert.equal(shown, page.headers['strict-transport-security']);
    assert.match(shown ?? '', /^max-age=31536000; includeSubDomains$/);
    assert.ok((await completedSteps(secure)).includes('hsts-seen'));
    assert.ok(shownFeedback((await secure.get(lessonPage)).text).some((text) => text.includes('Strict-Transport-Security')));
  });
});

describe('lesson 11 outside production', () => {
  let shop: TestApp;
  before(async () => {
    shop = await startTestApp({ authMode: 'session' });
  });
  after(() => shop.stop());

  test('when the shop is not production, then each step says to start it with npm run start:https, and a login does no step', async () => {
    await becomeStudent(shop.browser);
    await shop.browser.logIn('alice@example.com', 'alice-secret');
    for (const step of ['https-secure-cookie', 'plain-http-no-cookie', 'hsts-seen']) {
      assert.match((await stepHint(shop.browser, step)) ?? '', /not running as production: .*npm run start:https/);
    }
    assert.deepEqual(await completedSteps(shop.browser), []);
    const page = await shop.browser.get(lessonPage);
    assert.match(page.text, /came without <code>Strict-Transport-Security<\/code>/);
    assert.match(shownModeStatus(page.text), /needs the shop running as production behind HTTPS.*start it with <code>npm run start:https<\/code>, and open the <code>https:\/\/<\/code> address it prints/s);
    assert.doesNotMatch(shownModeStatus(page.text), /ready for this task/);
  });
});

describe('lesson 11 behind a proxy the shop does not trust', () => {
  let production: ProductionBehindTls;
  let proxy: TlsProxy;
  let ca: string;
  before(async () => {
    // No TRUST_PROXY: the proxy's X-Forwarded-Proto counts for nothing, so every request looks like plain HTTP.
    production = await startProductionBehindTls({ trustProxy: [] });
    ({ proxy, ca } = production);
  });
  after(() => production.stop());

  test('when a student logs in over HTTPS through it, then the shop takes it for plain HTTP: no form-token cookie, so the login form is refused, and no session cookie', async () => {
    const browser = await becomeStudent(new Browser(proxy.url, { ca }));
    const form = await browser.get('/login');
    assert.deepEqual(form.setCookies.filter((header) => header.startsWith('__Host-visitor=')), [], 'the form token cookie is withheld too');
    const login = await browser.logIn('alice@example.com', 'any-password');
    assert.equal(login.status, 403);
    assert.deepEqual(login.setCookies.filter((header) => /^(__Host-)?sid=/.test(header)), []);
    assert.deepEqual(await completedSteps(browser), []);
  });
});
