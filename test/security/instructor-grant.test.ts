import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { appPerSuite } from '../support/app.ts';
import { parseSetCookie } from '../support/browser.ts';
import { testClock } from '../support/clock.ts';

const shop = appPerSuite({ authMode: 'session' });
const clock = testClock();
const hour = 3_600_000;

/** A browser that typed the instructor token, and the cookie value it got for it. */
async function instructor() {
  const browser = shop().newBrowser();
  const grant = await browser.submit('/instructor/token', { token: shop().config.instructorToken ?? '' });
  const header = grant.setCookies.find((line) => line.startsWith('instructor='));
  assert.ok(header, 'the token grants the instructor cookie');
  return { browser, value: parseSetCookie(header).value };
}

test('S33 each grant of the instructor cookie is its own, and none carries a digest of the token', async () => {
  const [first, second] = [await instructor(), await instructor()];
  assert.notEqual(first.value, second.value);
  const token = shop().config.instructorToken ?? '';
  for (const encoding of ['hex', 'base64', 'base64url'] as const) {
    assert.ok(!decodeURIComponent(first.value).includes(createHash('sha256').update(token).digest(encoding)), encoding);
  }
});

test('S33 a copy of the instructor cookie opens the panel for 8 hours, then the server refuses it', async () => {
  const { value } = await instructor();
  const copy = shop().newBrowser();
  const withCopy = { Cookie: `instructor=${value}` };
  assert.equal((await copy.get('/instructor', withCopy)).status, 200);
  clock.advance(8 * hour - 60_000);
  assert.equal((await copy.get('/instructor', withCopy)).status, 200);
  clock.advance(60_000);
  assert.equal((await copy.get('/instructor', withCopy)).status, 403);
});

test('S33 an edited instructor cookie opens nothing', async () => {
  const { value } = await instructor();
  const [issuedAt = '', random = '', mac = ''] = decodeURIComponent(value).split('.');
  const copy = shop().newBrowser();
  for (const forged of [`${Date.now() + hour}.${random}.${mac}`, `${issuedAt}.${random}x.${mac}`, `${issuedAt}.${random}.${mac.slice(1)}A`]) {
    assert.equal((await copy.get('/instructor', { Cookie: `instructor=${encodeURIComponent(forged)}` })).status, 403, forged);
  }
});
