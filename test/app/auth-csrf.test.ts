import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';

const start = appPerTest(startTestApp);

// The session mode keeps the token in the session; the others in a signed cookie.
for (const authMode of ['session', 'cookie'] as const) {
  describe(`CSRF protection in ${authMode} mode`, () => {
    test('when the login form is sent without its token or with a wrong one, then it is refused (403) and nobody is logged in', async () => {
      const shop = await start({ authMode });
      const { request, whoIsLoggedIn, csrfToken } = shop;
      const token = await csrfToken('/login');
      for (const _csrf of [undefined, 'wrong', token.slice(0, -1)]) {
        const response = await request.post('/login').type('form').send({ email: 'alice@example.com', password: 'alice-secret', _csrf });
        assert.equal(response.status, 403);
        assert.match(response.text, /This form has expired or did not come from this site\./);
      }
      assert.equal(await whoIsLoggedIn(), undefined);
    });

    test("when the token is another visitor's, then it is refused", async () => {
      const shop = await start({ authMode });
      const theirToken = await shop.csrfToken('/login', shop.newClient());
      await shop.csrfToken('/login');
      const response = await shop.request.post('/login').type('form').send({ email: 'alice@example.com', password: 'alice-secret', _csrf: theirToken });
      assert.equal(response.status, 403);
    });

    test('when a signup is sent without a token, then no account is created', async () => {
      const shop = await start({ authMode });
      await shop.request.get('/signup');
      const response = await shop.request.post('/signup').type('form').send({ email: 'eve@example.com', password: 'eve-secret', confirmPassword: 'eve-secret' });
      assert.equal(response.status, 403);
      await shop.login('eve@example.com', 'eve-secret');
      assert.equal(await shop.whoIsLoggedIn(), undefined);
    });

    test('when a logged-in user is sent a logout without a token, then she stays logged in', async () => {
      const shop = await start({ authMode });
      await shop.login('alice@example.com', 'alice-secret');
      assert.equal((await shop.request.post('/logout').type('form').send({})).status, 403);
      assert.equal(await shop.whoIsLoggedIn(), 'alice@example.com');
    });
  });
}

describe('the signed visitor cookie that holds the token outside session mode', () => {
  test('when it is edited, then its token no longer counts', async () => {
    const shop = await start({ authMode: 'cookie' });
    const token = await shop.csrfToken('/login');
    const forged = `visitor=${encodeURIComponent(`j:${JSON.stringify({ csrfToken: token })}`)}`;
    const client = shop.newClient().set('Cookie', forged);
    const response = await client.post('/login').type('form').send({ email: 'alice@example.com', password: 'alice-secret', _csrf: token });
    assert.equal(response.status, 403);
  });
});
