import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionStoreName } from '../../config.ts';
import { appPerTest, startShop } from '../support/app.ts';

const start = appPerTest(startShop);

for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`session mode with the ${sessionStore} store`, () => {
    test('when alice logs in, then she stays logged in on the following requests', async () => {
      const { browser } = await start({ authMode: 'session', sessionStore });
      await browser.logIn('alice@example.com', 'alice-secret');
      assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
      assert.equal((await browser.get('/cart')).status, 200);
    });

    test('when a second browser visits, then it is not logged in as alice', async () => {
      const shop = await start({ authMode: 'session', sessionStore });
      await shop.browser.logIn('alice@example.com', 'alice-secret');
      assert.equal(await shop.newBrowser().whoIsLoggedIn(), undefined);
    });
  });
}

// The session cookie's security properties (S1-S4, S7, S9, S13-S15) are proven in test/security.
