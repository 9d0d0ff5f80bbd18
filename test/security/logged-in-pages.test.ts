import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPerSuite } from '../support/app.ts';
import { productIdOf } from '../support/shop.ts';
import { Browser, type Reply } from '../support/browser.ts';
import { crawl } from '../support/crawl.ts';
import { sessionCookieName, sessionIdOf } from '../support/session-cookie.ts';
import { demoUsers } from '../../models/seed.ts';

let browser: Browser;
/** The signed cookie value, URL-encoded as sent, and the bare id: none may appear anywhere else. */
let sessionIdForms: string[];
/** Every reply alice gets while she shops: the POSTs' redirects and every page she can reach. */
const replies = new Map<string, Reply>();

const shop = appPerSuite({ authMode: 'session' }, async () => {
  browser = new Browser(shop().url);
  replies.set('POST /login', await browser.logIn(demoUsers.alice.email, demoUsers.alice.password));
  const cookie = browser.cookies.get(sessionCookieName)!;
  sessionIdForms = [cookie, decodeURIComponent(cookie), sessionIdOf(cookie)];
  const productId = await productIdOf('A Great Book');
  replies.set('POST /cart', await browser.submit('/cart', { productId }, '/'));
  replies.set('POST /create-order', await browser.submit('/create-order', {}, '/'));
  replies.set('POST /cart (again)', await browser.submit('/cart', { productId }, '/'));
  for (const [path, page] of await crawl(browser, ['/', '/no-such-page', '/healthz'])) replies.set(`GET ${path}`, page);
});

test('when alice has logged in, ordered and followed every link, then the crawl has reached every kind of page a logged-in user sees', () => {
  for (const page of ['GET /cart', 'GET /orders', 'GET /admin/products', 'GET /admin/add-product', 'GET /healthz']) assert.ok(replies.has(page), page);
  assert.ok([...replies.keys()].some((key) => key.startsWith('GET /admin/edit-product/')), 'an edit page');
  assert.ok([...replies.keys()].some((key) => /^GET \/products\/[0-9a-f]{24}$/.test(key)), 'a product page');
  assert.match(replies.get('GET /orders')!.text, /A Great Book/, 'the orders page shows her order');
});

test('S7 id only in cookies: no page, JSON, redirect or header other than Set-Cookie contains the session id', () => {
  for (const [request, reply] of replies) {
    const headers = Object.entries(reply.headers).filter(([name]) => name !== 'set-cookie');
    const visible = `${reply.text}\n${JSON.stringify(headers)}`;
    for (const form of sessionIdForms) assert.ok(!visible.includes(form), `${request} shows the session id (${form})`);
  }
});

test('S12 id never in a URL: no link, form action or Location header names the session', () => {
  for (const [request, reply] of replies) {
    const urls = [...reply.text.matchAll(/(?:href|action|src)="([^"]*)"/g)].map((match) => match[1] ?? '');
    if (reply.location) urls.push(reply.location);
    for (const url of urls) {
      assert.doesNotMatch(url, /[?&;](sid|session|connect\.sid)=/i, `${request}: ${url}`);
      for (const form of sessionIdForms) assert.ok(!url.includes(form), `${request}: ${url}`);
    }
  }
});

test('S12 id never from a URL: /cart?sid=<valid signed id> without the cookie is anonymous', async () => {
  const stranger = new Browser(shop().url);
  for (const value of sessionIdForms) {
    for (const path of [`/cart?sid=${encodeURIComponent(value)}`, `/cart?${sessionCookieName}=${encodeURIComponent(value)}&connect.sid=${encodeURIComponent(value)}`]) {
      const cart = await stranger.get(path);
      assert.equal(cart.status, 302, path);
      assert.equal(cart.location, '/login', path);
    }
    assert.equal(await stranger.whoIsLoggedIn(), undefined);
  }
});

test('S15 no caching: every page shown to a logged-in user says Cache-Control: no-store', () => {
  for (const [request, reply] of replies) {
    if (request.startsWith('GET ') && request !== 'GET /healthz') assert.equal(reply.headers['cache-control'], 'no-store', request);
  }
});

test('S15 logout: the response expires the session cookie itself and leaves the browser\'s other cookies (lesson progress) alone', async () => {
  const other = new Browser(shop().url);
  await other.logIn(demoUsers.alice.email, demoUsers.alice.password);
  const logout = await other.logOut();
  const expiresSession = logout.setCookies.find((header) => header.startsWith(`${sessionCookieName}=;`));
  assert.match(expiresSession ?? '', /Expires=Thu, 01 Jan 1970/, 'a Set-Cookie that deletes the session cookie');
  // Clear-Site-Data: "cookies" would delete every cookie of the site, the student's progress too.
  assert.equal(logout.headers['clear-site-data'], undefined);
  assert.equal(await other.whoIsLoggedIn(), undefined);
});
