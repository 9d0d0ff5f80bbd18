import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { appPerSuite, type TestApp } from '../support/app.ts';

const shop = appPerSuite({ authMode: 'session' });

let client: TestApp['request'];
beforeEach(() => {
  client = shop().newClient();
});

describe('login', () => {
  test('when alice enters her password, then she lands on the shop, logged in, with a confirmation', async () => {
    const response = await shop().login('alice@example.com', 'alice-secret', client);
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/');
    const home = await client.get('/');
    assert.match(home.text, /Logged in as alice@example\.com\./);
    assert.equal(await shop().whoIsLoggedIn(client), 'alice@example.com');
  });

  test('when the email is typed with capitals and spaces, then it still finds the account', async () => {
    await shop().login('  Alice@Example.COM ', 'alice-secret', client);
    assert.equal(await shop().whoIsLoggedIn(client), 'alice@example.com');
  });

  // Identical failures and operator injection are proven in test/security/login-answers.test.ts.
  test('when the demo accounts exist and this is not production, then the login page names them', async () => {
    const page = await client.get('/login');
    assert.match(page.text, /alice@example\.com<\/code> \/ <code>alice-secret/);
    assert.match(page.text, /bob@example\.com<\/code> \/ <code>bob-secret/);
  });
});

describe('route protection and logout', () => {
  test('when an anonymous visitor opens the cart, then they are sent to login with a message', async () => {
    const cart = await client.get('/cart');
    assert.equal(cart.status, 302);
    assert.equal(cart.headers.location, '/login');
    assert.match((await client.get('/login')).text, /Please log in to see that page\./);
  });

  test('when a message has been shown once, then the next page no longer shows it', async () => {
    await client.get('/cart');
    await client.get('/login');
    assert.doesNotMatch((await client.get('/login')).text, /Please log in to see that page\./);
  });

  test('when alice logs out, then the protected pages send her to login again', async () => {
    await shop().login('alice@example.com', 'alice-secret', client);
    const logout = await client.post('/logout').type('form').send({ _csrf: await shop().csrfToken('/', client) });
    assert.equal(logout.headers.location, '/');
    assert.equal((await client.get('/cart')).headers.location, '/login');
  });
});
