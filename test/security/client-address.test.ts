import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import type { Config } from '../../config.ts';
import { appPerTest, startTestApp } from '../support/app.ts';
import { Browser, type Reply } from './support/browser.ts';

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
  test('when production has no TRUST_PROXY, then 60 failed logins on 60 accounts with spoofed X-Forwarded-For count as one address: 429 past its limit', async () => {
    // Cookie mode: production's session cookie needs HTTPS, and the limit is the same in every mode.
    const shop = await start({
      ...limits(50),
      authMode: 'cookie',
      nodeEnv: 'production',
      isProduction: true,
      sessionSecrets: [randomBytes(32).toString('hex')],
    });
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

  test('when an IPv4 address arrives written as IPv6 (::ffff:a.b.c.d), then it counts as that IPv4 address', async () => {
    const shop = await start({ ...limits(2), trustProxy: ['loopback'] });
    const browser = new Browser(shop.url);
    assert.equal((await failLoginAs(browser, 'one@example.com', '203.0.113.5')).status, 422);
    assert.equal((await failLoginAs(browser, 'two@example.com', '::ffff:203.0.113.5')).status, 422);
    assert.equal((await failLoginAs(browser, 'three@example.com', '203.0.113.5')).status, 429);
  });
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

describe('HOST', () => {
  test('when HOST is left at its default, then the shop accepts connections from this machine only (127.0.0.1, not even ::1)', async () => {
    const shop = await start();
    const { port } = new URL(shop.url);
    assert.equal(await accepts('127.0.0.1', Number(port)), true);
    assert.equal(await accepts('::1', Number(port)), false);
  });

  test('when HOST is ::1, then the shop accepts connections there (so the test above can see a refusal)', async () => {
    const shop = await start({ host: '::1' });
    assert.equal(await accepts('::1', Number(new URL(shop.url).port)), true);
  });
});
