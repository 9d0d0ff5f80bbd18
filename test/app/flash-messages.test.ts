import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPerTest, startShop } from '../support/app.ts';
import { testClock } from '../support/clock.ts';

const clock = testClock();
const start = appPerTest(startShop);

test('when a session ends on a page that redirects to the login, then the login page says why', async () => {
  const absoluteMs = 1000;
  const shop = await start({ authMode: 'session', sessionLifetime: { idleMs: 60_000, absoluteMs } });
  await shop.browser.logIn('alice@example.com', 'alice-secret');
  clock.advance(absoluteMs);

  const cart = await shop.browser.get('/cart');
  assert.equal(cart.location, '/login');
  const loginPage = await shop.browser.get('/login');
  assert.match(loginPage.text, /Your session reached its maximum length, so you were logged out\./);
  assert.doesNotMatch((await shop.browser.get('/login')).text, /maximum length/, 'the message is shown once');
});
