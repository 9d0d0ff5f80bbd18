import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sign } from 'cookie-signature';
import { appPerSuite } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { sessionCookieName, sessionIdOf } from '../support/session-cookie.ts';
import { demoUsers } from '../../models/seed.ts';

/** alice's live, logged-in session cookie, decoded: `s:<id>.<signature>`. */
let valid: string;
const shop = appPerSuite({ authMode: 'session' }, async () => {
  const alice = new Browser(shop().url);
  await alice.logIn(demoUsers.alice.email, demoUsers.alice.password);
  valid = decodeURIComponent(alice.cookies.get(sessionCookieName)!);
});

const protectedPages = ['/cart', '/orders', '/admin/products', '/admin/add-product'];

function tamperings(): Record<string, string> {
  const id = sessionIdOf(valid);
  const signature = valid.slice(valid.indexOf('.') + 1);
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  return {
    'first signature character flipped': `s:${id}.${flip(signature, 0)}`,
    'last signature character flipped': `s:${id}.${flip(signature, signature.length - 1)}`,
    'one id character flipped': `s:${flip(id, 5)}.${signature}`,
    'no s: prefix': valid.slice(2),
    'the bare id': id,
    'the signature dropped': `s:${id}`,
    'signed with another secret': `s:${sign(id, randomBytes(32).toString('hex'))}`,
    // cookie-parser reads j: values as JSON: the session must not take that object for an id.
    'a JSON cookie': 'j:{"isLoggedIn":true,"userId":"x"}',
  };
}

test('S3 tampering: when the signature or id of a logged-in cookie is changed, then protected pages redirect to login, never a 500', async () => {
  for (const [tampering, value] of Object.entries(tamperings())) {
    const browser = new Browser(shop().url);
    browser.cookies.set(sessionCookieName, encodeURIComponent(value));
    for (const page of protectedPages) {
      const reply = await browser.get(page);
      assert.equal(reply.status, 302, `${tampering}: ${page}`);
      assert.equal(reply.location, '/login', `${tampering}: ${page}`);
    }
    assert.equal(await browser.whoIsLoggedIn(), undefined, tampering);
  }
});

test('S3 control: the untouched cookie still opens the same protected pages', async () => {
  const browser = new Browser(shop().url);
  browser.cookies.set(sessionCookieName, encodeURIComponent(valid));
  for (const page of protectedPages) assert.equal((await browser.get(page)).status, 200, page);
});
