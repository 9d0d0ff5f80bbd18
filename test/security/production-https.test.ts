import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../config.ts';
import type { TestApp } from '../support/app.ts';
import { Browser, parseSetCookie } from '../support/browser.ts';
import { crawl } from '../support/crawl.ts';
import { startProductionBehindTls, type ProductionBehindTls, type TlsProxy } from '../support/tls.ts';

/** Where the crawl starts: the shop, the lessons, the account and the instructor's pages. */
const crawlStart = ['/', '/lessons', '/account/sessions', '/instructor'];

const productionCookieName = '__Host-sid';

describe('production behind a TLS-terminating proxy', () => {
  let production: ProductionBehindTls;
  let shop: TestApp;
  let proxy: TlsProxy;
  let ca: string;
  before(async () => {
    // The proxy runs on this machine: TRUST_PROXY=loopback lets its X-Forwarded-Proto count.
    production = await startProductionBehindTls({ trustProxy: ['loopback'] });
    ({ shop, proxy, ca } = production);
  });
  after(() => production.stop());

  test('S8 over HTTPS: the session cookie is __Host-sid, Secure, Path=/ and has no Domain, and the login works with it', async () => {
    // Production seeds no known password: the test signs up an account of its own.
    const browser = new Browser(proxy.url, { ca });
    const [email, password] = [`https-${randomBytes(4).toString('hex')}@example.com`, randomBytes(12).toString('hex')];
    assert.equal((await browser.signUp(email, password)).status, 302);
    const login = await browser.logIn(email, password);
    const header = login.setCookies.find((cookie) => cookie.startsWith(`${productionCookieName}=`));
    assert.ok(header, `the login sets ${productionCookieName}`);
    const { attributes } = parseSetCookie(header);
    assert.ok(attributes.has('secure'), header);
    assert.equal(attributes.get('path'), '/', header);
    assert.ok(!attributes.has('domain'), header);
    assert.equal(await browser.whoIsLoggedIn(), email);
  });

  test('S24 over HTTPS: the instructor cookie is __Host-instructor, Secure, Path=/, no Domain, HttpOnly, SameSite=Strict, for 8 hours, and it opens the panel', async () => {
    const browser = new Browser(proxy.url, { ca });
    const grant = await browser.submit('/instructor/token', { token: shop.config.instructorToken ?? '' }, '/instructor');
    const header = grant.setCookies.find((cookie) => cookie.startsWith('__Host-instructor='));
    assert.ok(header, `the token sets __Host-instructor (got ${grant.setCookies.join(' | ')})`);
    const { attributes } = parseSetCookie(header);
    assert.ok(attributes.has('secure') && attributes.has('httponly'), header);
    assert.equal(attributes.get('path'), '/', header);
    assert.ok(!attributes.has('domain'), header);
    assert.equal(attributes.get('samesite'), 'Strict', header);
    assert.equal(attributes.get('max-age'), String(8 * 3600), header);
    assert.equal((await browser.get('/instructor')).status, 200);
  });

  test('S30 over HTTPS, every cookie the app sets on every page, anonymous and logged in, is __Host-, Secure and Path=/', async () => {
    const browser = new Browser(proxy.url, { ca });
    const [email, password] = [`crawl-${randomBytes(4).toString('hex')}@example.com`, randomBytes(12).toString('hex')];
    const replies = [...(await crawl(browser, crawlStart)).values()];
    replies.push(await browser.signUp(email, password), await browser.logIn(email, password));
    replies.push(await browser.submit('/instructor/token', { token: shop.config.instructorToken ?? '' }, '/'));
    replies.push(...(await crawl(browser, crawlStart)).values());
    const headers = replies.flatMap((reply) => reply.setCookies);
    const names = new Set(headers.map((header) => parseSetCookie(header).name));
    for (const expected of ['sid', 'visitor', 'student', 'instructor']) assert.ok(names.has(`__Host-${expected}`), `the crawl saw __Host-${expected} (saw ${[...names].join(', ')})`);
    for (const header of headers) {
      const { name, attributes } = parseSetCookie(header);
      assert.ok(name.startsWith('__Host-') && attributes.has('secure') && attributes.get('path') === '/' && !attributes.has('domain'), header);
    }
  });

  test('S8 over plain HTTP: production never sends the session cookie without TLS', async () => {
    const browser = new Browser(shop.url);
    const page = await browser.get('/login');
    assert.equal(page.status, 200);
    // The login form's token goes in the visitor cookie, marked Secure: a browser keeps it only over HTTPS.
    assert.deepEqual(page.setCookies.filter((header) => /^(__Host-)?sid=/.test(header)), []);
    for (const header of page.setCookies) assert.match(header, /; Secure/, header);
  });
});

describe('production secrets', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shop-config-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('S8 production refuses the development secret: without SESSION_SECRET the start fails even when a generated one is kept in DATA_DIR', async () => {
    await writeFile(join(dataDir, 'session-secret'), randomBytes(32).toString('hex'));
    assert.doesNotThrow(() => loadConfig({ DATA_DIR: dataDir }), 'development uses the kept secret');
    assert.throws(() => loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production' }), /SESSION_SECRET must be set in production/);
  });

  test('S8 production refuses a short secret: every SESSION_SECRET entry needs 32 characters', () => {
    const long = 'a'.repeat(32);
    assert.throws(
      () => loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', SESSION_SECRET: `${long},${'b'.repeat(31)}` }),
      /SESSION_SECRET entries must be at least 32 characters long in production/,
    );
    assert.equal(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', SESSION_SECRET: long }).sessionSecrets[0], long);
  });
});
