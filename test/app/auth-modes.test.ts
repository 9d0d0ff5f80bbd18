import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startShop } from '../support/app.ts';

const start = appPerTest(startShop);

describe('request mode', () => {
  test('when alice logs in, then the page the login redirects to has already forgotten her', async () => {
    const { browser } = await start({ authMode: 'request' });
    const response = await browser.logIn('alice@example.com', 'alice-secret');
    assert.equal(response.status, 302);
    assert.equal(await browser.whoIsLoggedIn(), undefined);
    const cart = await browser.get('/cart');
    assert.equal(cart.location, '/login');
  });
});

describe('global mode', () => {
  test('when alice logs in, then a second browser without any cookie is logged in as alice too', async () => {
    const { browser, newBrowser } = await start({ authMode: 'global' });
    await browser.logIn('alice@example.com', 'alice-secret');
    const stranger = newBrowser();
    assert.equal(await stranger.whoIsLoggedIn(), 'alice@example.com');
    assert.equal((await stranger.get('/cart')).status, 200);
  });

  test('when the last one to log in logs out, then every browser is logged out', async () => {
    const { browser, newBrowser } = await start({ authMode: 'global' });
    await browser.logIn('alice@example.com', 'alice-secret');
    const stranger = newBrowser();
    await browser.logOut();
    assert.equal(await stranger.whoIsLoggedIn(), undefined);
  });
});

describe('cookie mode', () => {
  test('when alice logs in, then her login is two plain cookies that page scripts can read', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    const response = await browser.logIn('alice@example.com', 'alice-secret');
    const loginCookies = response.setCookies.filter((cookie) => /^(loggedIn|userEmail)=/.test(cookie));
    assert.deepEqual(loginCookies.map((cookie) => cookie.split(';')[0]), ['loggedIn=true', 'userEmail=alice%40example.com']);
    assert.ok(loginCookies.every((cookie) => !/HttpOnly/i.test(cookie)));
    assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
  });

  test('when a browser forges loggedIn=true and userEmail=bob@example.com, then it is let in as bob', async () => {
    const { newBrowser } = await start({ authMode: 'cookie' });
    const forger = newBrowser();
    forger.cookies.set('loggedIn', 'true');
    forger.cookies.set('userEmail', 'bob@example.com');
    assert.equal(await forger.whoIsLoggedIn(), 'bob@example.com');
    assert.equal((await forger.get('/cart')).status, 200);
  });

  test('when a forged userEmail cookie holds a query operator, then nobody is logged in and nothing breaks', async () => {
    const { newBrowser } = await start({ authMode: 'cookie' });
    const forger = newBrowser();
    forger.cookies.set('loggedIn', 'true');
    forger.cookies.set('userEmail', encodeURIComponent('j:{"$gt":""}'));
    assert.equal(await forger.whoIsLoggedIn(), undefined);
    assert.equal((await forger.get('/cart')).location, '/login');
  });

  test('when alice logs out, then the cookies are cleared and she is logged out', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await browser.logIn('alice@example.com', 'alice-secret');
    const response = await browser.logOut();
    const cleared = response.setCookies.filter((cookie) => /^(loggedIn|userEmail)=;/.test(cookie));
    assert.equal(cleared.length, 2);
    assert.equal(await browser.whoIsLoggedIn(), undefined);
  });
});

describe('every page', () => {
  const modes = [
    { authMode: 'request', sessionStore: 'mongodb', badge: 'auth mode: request · session store: none', warning: /Request mode: the login is a property of the request object/ },
    { authMode: 'global', sessionStore: 'mongodb', badge: 'auth mode: global · session store: none', warning: /Global mode: the login is one variable in the server process/ },
    { authMode: 'cookie', sessionStore: 'mongodb', badge: 'auth mode: cookie · session store: none', warning: /Cookie mode: the login is two plain cookies/ },
    { authMode: 'session', sessionStore: 'memory', badge: 'auth mode: session · session store: memory', warning: undefined },
    { authMode: 'session', sessionStore: 'mongodb', badge: 'auth mode: session · session store: mongodb', warning: undefined },
    { authMode: 'cookie-session', sessionStore: 'mongodb', badge: 'auth mode: cookie-session · session store: none', warning: /Signed, so unforgeable; not revocable\..*nobody, not even the server, can take it back before it expires/s },
  ] as const;
  for (const { authMode, sessionStore, badge, warning } of modes) {
    test(`when running ${authMode} mode with ${sessionStore}, then pages show "${badge}"${warning ? ' and a warning' : ' and no warning'}`, async () => {
      const { browser } = await start({ authMode, sessionStore });
      for (const path of ['/', '/login', '/no-such-page']) {
        const page = await browser.get(path);
        assert.ok(page.text.includes(badge), `${path} shows the badge`);
        if (warning) assert.match(page.text, warning);
        else assert.doesNotMatch(page.text, /class="mode-warning"/);
      }
    });
  }
});
