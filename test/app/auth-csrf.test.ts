import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startShop } from '../support/app.ts';

const start = appPerTest(startShop);

// The session mode keeps the token in the session; the others in a signed cookie.
for (const authMode of ['session', 'cookie', 'cookie-session'] as const) {
  describe(`CSRF protection in ${authMode} mode`, () => {
    test('when the login form is sent without its token or with a wrong one, then it is refused (403) and nobody is logged in', async () => {
      const { browser } = await start({ authMode });
      const token = await browser.csrfToken('/login');
      for (const _csrf of [undefined, 'wrong', token.slice(0, -1)]) {
        const fields = { email: 'alice@example.com', password: 'alice-secret', ...(_csrf === undefined ? {} : { _csrf }) };
        const response = await browser.post('/login', fields);
        assert.equal(response.status, 403);
        assert.match(response.text, /This form has expired or did not come from this site\./);
      }
      assert.equal(await browser.whoIsLoggedIn(), undefined);
    });

    test("when the token is another visitor's, then it is refused", async () => {
      const shop = await start({ authMode });
      const theirToken = await shop.newBrowser().csrfToken('/login');
      await shop.browser.csrfToken('/login');
      const response = await shop.browser.post('/login', { email: 'alice@example.com', password: 'alice-secret', _csrf: theirToken });
      assert.equal(response.status, 403);
    });

    test('when a signup is sent without a token, then no account is created', async () => {
      const { browser } = await start({ authMode });
      await browser.get('/signup');
      const response = await browser.post('/signup', { email: 'eve@example.com', password: 'eve-secret', confirmPassword: 'eve-secret' });
      assert.equal(response.status, 403);
      await browser.logIn('eve@example.com', 'eve-secret');
      assert.equal(await browser.whoIsLoggedIn(), undefined);
    });

    test('when a logged-in user is sent a logout without a token, then she stays logged in', async () => {
      const { browser } = await start({ authMode });
      await browser.logIn('alice@example.com', 'alice-secret');
      assert.equal((await browser.post('/logout', {})).status, 403);
      assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
    });
  });
}

describe('the signed visitor cookie that holds the token outside session mode', () => {
  test('when it is edited, then its token no longer counts', async () => {
    const shop = await start({ authMode: 'cookie' });
    const token = await shop.browser.csrfToken('/login');
    // The token, in an unsigned visitor cookie written by hand.
    const forger = shop.newBrowser();
    forger.cookies.set('visitor', encodeURIComponent(`j:${JSON.stringify({ csrfToken: token })}`));
    const response = await forger.post('/login', { email: 'alice@example.com', password: 'alice-secret', _csrf: token });
    assert.equal(response.status, 403);
  });
});
