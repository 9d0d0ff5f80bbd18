import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { loadConfig, type Config } from '../../config.ts';
import { proxyWarning } from '../../server.ts';
import { appPerTest, startTestApp } from '../support/app.ts';
import { Browser, type Reply } from '../support/browser.ts';

const start = appPerTest(startTestApp);

/** A failed login whose request claims, in X-Forwarded-For, to come from `forwardedFor`. */
async function failLoginAs(browser: Browser, email: string, forwardedFor: string): Promise<Reply> {
  const _csrf = await browser.csrfToken('/login');
  const body = new URLSearchParams({ email, password: 'a wrong guess', _csrf }).toString();
  return browser.request('POST', '/login', {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
  });
}

const randomIpv4 = () => [...randomBytes(4)].join('.');
const limits = (maxFailuresPerAddress: number): Partial<Config> => ({
  loginRateLimit: { maxFailuresPerAccount: 5, maxFailuresPerAccountTotal: 100, maxFailuresPerAddress, windowMs: 60_000 },
});

describe('S23 the client address', () => {
  test('when TRUST_PROXY is unset (the default in every environment), then 60 failed logins on 60 accounts with spoofed X-Forwarded-For count as one address: 429 past its limit', async () => {
    // Not production: there, without TRUST_PROXY, no request counts as HTTPS, so no Secure cookie
    // (not even the login form's CSRF token) is set and no login is even tried (see proxyWarning).
    const shop = await start({ ...limits(50), trustProxy: [] });
    const browser = new Browser(shop.url);
    const statuses: number[] = [];
    for (let account = 1; account <= 60; account += 1) {
      statuses.push((await failLoginAs(browser, `user${account}@example.com`, randomIpv4())).status);
    }
    assert.deepEqual(statuses, [...Array<number>(50).fill(422), ...Array<number>(10).fill(429)]);
  });

  test('when TRUST_PROXY names the proxy, then the address it forwards counts, and every address of one IPv6 /64 counts as one', async () => {
    const shop = await start({ ...limits(3), trustProxy: ['loopback'] });
    const browser = new Browser(shop.url);
    for (const address of ['2001:db8::1', '2001:db8::2', '2001:db8::ffff:3']) {
      assert.equal((await failLoginAs(browser, `${address}@example.com`, address)).status, 422, address);
    }
    assert.equal((await failLoginAs(browser, 'next@example.com', '2001:db8:0:0:1234::4')).status, 429, 'the same /64');
    assert.equal((await failLoginAs(browser, 'next@example.com', '2001:db8:0:1::1')).status, 422, 'the next /64 is another client');
    assert.equal((await failLoginAs(browser, 'next@example.com', '203.0.113.5')).status, 422, 'an IPv4 client');
  });

  test('when TRUST_PROXY names a proxy elsewhere, then a client connecting directly cannot spoof its address either', async () => {
    const shop = await start({ ...limits(3), trustProxy: ['10.0.0.1'] });
    const browser = new Browser(shop.url);
    const statuses = [];
    for (let account = 1; account <= 4; account += 1) statuses.push((await failLoginAs(browser, `direct${account}@example.com`, randomIpv4())).status);
    assert.deepEqual(statuses, [422, 422, 422, 429]);
  });

  test('when an IPv4 address arrives written as IPv6 (::ffff:a.b.c.d), then it counts as that IPv4 address', async () => {
    const shop = await start({ ...limits(2), trustProxy: ['loopback'] });
    const browser = new Browser(shop.url);
    assert.equal((await failLoginAs(browser, 'one@example.com', '203.0.113.5')).status, 422);
    assert.equal((await failLoginAs(browser, 'two@example.com', '::ffff:203.0.113.5')).status, 422);
    assert.equal((await failLoginAs(browser, 'three@example.com', '203.0.113.5')).status, 429);
  });
});

test('S23 when production starts without TRUST_PROXY, then the start warns that no Secure cookie can be set; with it, or outside production, it does not', () => {
  // Secrets given, so loading the configuration writes nothing to DATA_DIR.
  const secrets = { SESSION_SECRET: 'p'.repeat(32), INSTRUCTOR_TOKEN: 'i'.repeat(16) };
  assert.match(proxyWarning(loadConfig({ ...secrets, NODE_ENV: 'production' })) ?? '', /TRUST_PROXY is not set: no request counts as HTTPS/);
  assert.equal(proxyWarning(loadConfig({ ...secrets, NODE_ENV: 'production', TRUST_PROXY: 'loopback' })), undefined);
  assert.equal(proxyWarning(loadConfig({ ...secrets, NODE_ENV: 'development' })), undefined);
});

/** Resolves true when a TCP connection to host:port is accepted, false when it is refused. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Linux routes all of 127.0.0.0/8 to the loopback interface: 127.0.0.2 stands for "another address of this machine".
describe('HOST', () => {
  test('when HOST is left at its default, then the shop listens on 127.0.0.1 only: another address of the machine is refused', async () => {
    const shop = await start();
    const port = Number(new URL(shop.url).port);
    assert.equal(await accepts('127.0.0.1', port), true);
    assert.equal(await accepts('127.0.0.2', port), false);
  });

  test('when HOST is 127.0.0.2, then the shop accepts connections there (so the test above can see a refusal)', async () => {
    const shop = await start({ host: '127.0.0.2' });
    assert.equal(await accepts('127.0.0.2', Number(new URL(shop.url).port)), true);
  });
});
