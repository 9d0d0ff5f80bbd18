import assert from 'node:assert/strict';
import { test } from 'node:test';
import { returnAddress } from '../../lib/return-address.ts';
import { appPerSuite } from '../support/app.ts';

const shop = appPerSuite({ authMode: 'session' });

/** Known ways to slip another origin past a "starts with /" check, as browsers resolve them. */
const bypasses = [
  '//evil.example',
  '/\\evil.example',
  '\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/ /evil.example',
  '/%2F/evil.example',
  '/%5Cevil.example',
  '/%09/evil.example',
  '///evil.example',
  '/\\/evil.example',
  'https://evil.example',
  'javascript:alert(1)',
  '/\u0000/evil.example',
  '@evil.example',
];

test('S33 a return address that a browser would resolve to another origin is never followed', () => {
  for (const bypass of bypasses) {
    const kept = returnAddress(bypass, '/fallback');
    assert.equal(new URL(kept, 'http://shop.test').origin, 'http://shop.test', JSON.stringify(bypass));
  }
  assert.equal(returnAddress('/lessons/3?x=1#step', '/fallback'), '/lessons/3?x=1#step');
});

test('S33 after the instructor token, the redirect stays on the shop whatever returnTo says', async () => {
  for (const returnTo of bypasses) {
    const browser = shop().newBrowser();
    const reply = await browser.submit('/instructor/token', { token: shop().config.instructorToken ?? '', returnTo });
    assert.equal(reply.status, 302);
    const location = reply.headers.location;
    assert.equal(new URL(String(location), shop().url).origin, new URL(shop().url).origin, `${JSON.stringify(returnTo)} → ${location}`);
  }
});
