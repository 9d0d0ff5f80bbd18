import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import type { SessionStoreName } from '../../config.ts';
import { sessionStores } from '../../sessions/sessions.ts';
import { appPerTest, startShop } from '../support/app.ts';
import { csrfTokenIn, type Reply } from '../support/browser.ts';

const start = appPerTest(startShop);

function cookieNames(response: Reply): string[] {
  return response.setCookies.map((cookie) => cookie.split('=')[0] ?? '');
}

// Anyone can browse without limit: if each page view stored a session, browsing would fill the store.
for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`anonymous visitors in session mode with the ${sessionStore} store`, () => {
    /** The shop with its usual store, kept at hand to count what it holds. */
    async function startWithStore() {
      let store: ReturnType<(typeof sessionStores)[SessionStoreName]> | undefined;
      const shop = await start(
        { authMode: 'session', sessionStore },
        { sessionStore: (uri) => (store = sessionStores[sessionStore](uri)) },
      );
      const storedSessions = async () => {
        if (!store) throw new Error('the shop created no session store');
        return Object.keys((await promisify(store.all.bind(store))()) ?? {}).length;
      };
      return { shop, storedSessions };
    }

    test('when a visitor without a cookie browses the shop and the product list, then no session is created', async () => {
      const { shop, storedSessions } = await startWithStore();
      for (const path of ['/', '/products']) {
        const response = await shop.browser.get(path);
        assert.equal(response.status, 200);
        assert.deepEqual(cookieNames(response), [], `GET ${path} sets a cookie`);
      }
      assert.equal(await storedSessions(), 0);
    });

    test('when a visitor opens the login form, then the signed visitor cookie holds its CSRF token, nothing is stored, and the token logs alice in', async () => {
      const { shop, storedSessions } = await startWithStore();
      const page = await shop.browser.get('/login');
      assert.deepEqual(cookieNames(page), ['visitor']);
      assert.equal(await storedSessions(), 0);
      const _csrf = csrfTokenIn(page.text);
      assert.ok(_csrf, 'the login form has a token');
      await shop.browser.post('/login', { email: 'alice@example.com', password: 'alice-secret', _csrf });
      assert.equal(await shop.browser.whoIsLoggedIn(), 'alice@example.com');
      assert.equal(await storedSessions(), 1);
    });
  });
}

describe('anonymous visitors in cookie mode', () => {
  test('when a visitor browses the product list, then no visitor cookie is set; the login form sets one', async () => {
    const shop = await start({ authMode: 'cookie' });
    assert.deepEqual(cookieNames(await shop.browser.get('/products')), []);
    assert.deepEqual(cookieNames(await shop.browser.get('/login')), ['visitor']);
  });
});
