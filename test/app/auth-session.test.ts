import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type supertest from 'supertest';
import type { SessionStoreName } from '../../config.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let shop: TestApp | undefined;
afterEach(async () => {
  await shop?.stop();
  shop = undefined;
});

/** The raw `sid` cookie a response sets, e.g. `s%3A<id>.<signature>`. */
function sidFrom(response: supertest.Response): string | undefined {
  const cookies = [response.headers['set-cookie'] ?? []].flat();
  return cookies.map((cookie) => /^sid=([^;]*)/.exec(cookie)?.[1]).find((value) => value !== undefined);
}

for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`session mode with the ${sessionStore} store`, () => {
    test('when alice logs in, then she stays logged in on the following requests', async () => {
      shop = await startTestApp({ authMode: 'session', sessionStore });
      await shop.login('alice@example.com', 'alice-secret');
      assert.equal(await shop.whoIsLoggedIn(), 'alice@example.com');
      assert.equal((await shop.request.get('/cart')).status, 200);
    });

    test('when a second browser visits, then it is not logged in as alice', async () => {
      shop = await startTestApp({ authMode: 'session', sessionStore });
      await shop.login('alice@example.com', 'alice-secret');
      assert.equal(await shop.whoIsLoggedIn(shop.newClient()), undefined);
    });
  });
}

describe('the session cookie', () => {
  test('when a visitor gets a session, then the cookie is named sid, HttpOnly, SameSite=Lax and holds only a signed id', async () => {
    shop = await startTestApp({ authMode: 'session' });
    const response = await shop.request.get('/login');
    const header = [response.headers['set-cookie'] ?? []].flat().find((cookie) => cookie.startsWith('sid='));
    assert.ok(header, 'a sid cookie is set');
    assert.match(header, /; HttpOnly/);
    assert.match(header, /; SameSite=Lax/);
    assert.match(decodeURIComponent(sidFrom(response) ?? ''), /^s:[\w-]{32}\.[\w+/]{43}$/);
  });

  test('when alice logs in, then she gets a new session id and the old one is logged out', async () => {
    shop = await startTestApp({ authMode: 'session' });
    const before = sidFrom(await shop.request.get('/login'));
    const login = await shop.login('alice@example.com', 'alice-secret');
    const afterLogin = sidFrom(login);
    assert.ok(before && afterLogin);
    assert.notEqual(afterLogin, before);
    const replay = shop.newClient().set('Cookie', `sid=${before}`);
    assert.equal(await shop.whoIsLoggedIn(replay), undefined);
  });

  test('when the signature of a logged-in sid is changed, then the visitor is logged out, not shown an error', async () => {
    shop = await startTestApp({ authMode: 'session' });
    const sid = decodeURIComponent(sidFrom(await shop.login('alice@example.com', 'alice-secret')) ?? '');
    const flipped = sid.slice(0, -1) + (sid.endsWith('A') ? 'B' : 'A');
    const unsigned = sid.replace(/^s:/, '').split('.')[0] ?? '';
    for (const tampered of [flipped, unsigned]) {
      const client = shop.newClient().set('Cookie', `sid=${encodeURIComponent(tampered)}`);
      const cart = await client.get('/cart');
      assert.equal(cart.status, 302);
      assert.equal(cart.headers.location, '/login');
      assert.equal(await shop.whoIsLoggedIn(client), undefined);
    }
  });

  test('when alice logs out, then the cookie is cleared and replaying it is anonymous', async () => {
    shop = await startTestApp({ authMode: 'session' });
    const sid = sidFrom(await shop.login('alice@example.com', 'alice-secret'));
    const logout = await shop.request.post('/logout').type('form').send({ _csrf: await shop.csrfToken('/') });
    assert.equal(logout.status, 302);
    assert.match([logout.headers['set-cookie'] ?? []].flat().join('\n'), /^sid=; Path=\/; Expires=Thu, 01 Jan 1970/m);
    assert.equal(logout.headers['clear-site-data'], '"cookies"');
    const replay = shop.newClient().set('Cookie', `sid=${sid}`);
    assert.equal(await shop.whoIsLoggedIn(replay), undefined);
    assert.equal((await replay.get('/cart')).headers.location, '/login');
  });

  test('when a page is shown to a logged-in user, then the browser is told not to cache it', async () => {
    shop = await startTestApp({ authMode: 'session' });
    assert.notEqual((await shop.request.get('/')).headers['cache-control'], 'no-store');
    await shop.login('alice@example.com', 'alice-secret');
    assert.equal((await shop.request.get('/')).headers['cache-control'], 'no-store');
  });
});
