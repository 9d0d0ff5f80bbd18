import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { shopPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';

const shop = shopPerSuite({ authMode: 'session' });

let browser: Browser;
beforeEach(() => {
  browser = shop().newBrowser();
});

describe('login', () => {
  test('when alice enters her password, then she lands on the shop, logged in, with a confirmation', async () => {
    const response = await browser.logIn('alice@example.com', 'alice-secret');
    assert.equal(response.status, 302);
    assert.equal(response.location, '/');
    const home = await browser.get('/');
    assert.match(home.text, /Logged in as alice@example\.com\./);
    assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
  });

  test('when the email is typed with capitals and spaces, then it still finds the account', async () => {
    await browser.logIn('  Alice@Example.COM ', 'alice-secret');
    assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
  });

  // Identical failures and operator injection are proven in test/security/login-answers.test.ts.
  test('when the demo accounts exist and this is not production, then the login page names them', async () => {
    const page = await browser.get('/login');
    assert.match(page.text, /alice@example\.com<\/code> \/ <code>alice-secret/);
    assert.match(page.text, /bob@example\.com<\/code> \/ <code>bob-secret/);
  });
});

describe('route protection and logout', () => {
  test('when an anonymous visitor opens the cart, then they are sent to login with a message', async () => {
    const cart = await browser.get('/cart');
    assert.equal(cart.status, 302);
    assert.equal(cart.location, '/login');
    assert.match((await browser.get('/login')).text, /Please log in to see that page\./);
  });

  test('when a message has been shown once, then the next page no longer shows it', async () => {
    await browser.get('/cart');
    await browser.get('/login');
    assert.doesNotMatch((await browser.get('/login')).text, /Please log in to see that page\./);
  });

  test('when alice logs out, then the protected pages send her to login again', async () => {
    await browser.logIn('alice@example.com', 'alice-secret');
    const logout = await browser.logOut();
    assert.equal(logout.location, '/');
    assert.equal((await browser.get('/cart')).location, '/login');
  });
});
