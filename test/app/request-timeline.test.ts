import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);

interface Entry {
  method: string;
  path: string;
  status: number;
  cookiesSent: string[];
  cookiesSet: { name: string; value: string; attributes: string[] }[];
}

async function timeline(browser: Browser): Promise<{ text: string; requests: Entry[] }> {
  const response = await browser.get('/api/lessons/timeline');
  return { text: response.text, requests: response.json<{ requests: Entry[] }>().requests };
}

describe('the request timeline in the inspector', () => {
  test('when a student logs in, then the timeline shows the login answer setting sid with its attributes, as a fingerprint only', async () => {
    const shop = await start({ authMode: 'session' });
    await shop.browser.get('/inspector');
    await shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await shop.browser.get('/cart');
    const { text, requests } = await timeline(shop.browser);
    assert.deepEqual(
      requests.map(({ method, path, status }) => `${method} ${path} ${status}`),
      ['GET /cart 200', 'POST /login 302', 'GET /login 200', 'GET /inspector 200'],
    );
    const login = requests[1];
    const sid = login?.cookiesSet.find(({ name }) => name === 'sid');
    assert.match(sid?.value ?? '', /^session id, fingerprint [0-9a-f]{16}$/);
    assert.deepEqual(sid?.attributes.filter((attribute) => !attribute.startsWith('Expires=')), ['Path=/', 'HttpOnly', 'SameSite=Lax']);
    assert.ok(requests[0]?.cookiesSent.includes('sid'), 'the next page carries sid');
    const id = decodeURIComponent(shop.browser.cookies.get('sid') ?? '').slice(2).split('.')[0] ?? '';
    assert.ok(id.length > 20 && !text.includes(id), 'the session id itself never reaches the page');
  });

  test('when a student opens pages of a mounted router, then the timeline shows their whole path, mount point included', async () => {
    const shop = await start({ authMode: 'session', instructorToken: 'timeline-token' });
    await shop.browser.get('/inspector');
    await shop.browser.submit('/instructor/token', { token: 'timeline-token' });
    await shop.browser.get('/instructor');
    await shop.browser.get('/admin/products?secret=1');
    const paths = (await timeline(shop.browser)).requests.map(({ method, path }) => `${method} ${path}`);
    assert.deepEqual(paths.slice(0, 3), ['GET /admin/products', 'GET /instructor', 'POST /instructor/token']);
  });

  test('when a page polls, then the polls are left out, the session is not extended, and only the last 20 requests are kept', async () => {
    const shop = await start({ authMode: 'session' });
    await shop.browser.get('/inspector');
    await shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    const poll = await shop.browser.get('/api/lessons/progress');
    assert.deepEqual(poll.setCookies, [], 'a poll moves no cookie expiry on');
    for (let page = 0; page < 25; page += 1) await shop.browser.get('/');
    const { requests } = await timeline(shop.browser);
    assert.equal(requests.length, 20);
    assert.ok(requests.every(({ path }) => path === '/'));
  });

  test('when a browser sends a hundred long cookie names, then the timeline keeps a bounded list of them and the shop still answers', async () => {
    const shop = await start({ authMode: 'session' });
    await shop.browser.get('/inspector');
    const cookies = Array.from({ length: 100 }, (_, index) => `${'c'.repeat(60)}${index}${'x'.repeat(60)}=1`).join('; ');
    assert.equal((await shop.browser.get('/', { cookie: `${shop.browser.cookieHeader()}; ${cookies}` })).status, 200);
    const [latest] = (await timeline(shop.browser)).requests;
    assert.equal(latest?.path, '/');
    assert.equal(latest?.cookiesSent.length, 30);
    assert.ok(latest?.cookiesSent.every((name) => name.length <= 100));
  });

  test('when a plain cookie is set in cookie mode, then its value shows; a browser that never opened the lessons has no timeline', async () => {
    const shop = await start({ authMode: 'cookie' });
    await shop.browser.get('/lessons');
    await shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    const { requests } = await timeline(shop.browser);
    const login = requests.find(({ method }) => method === 'POST');
    assert.deepEqual(login?.cookiesSet.find(({ name }) => name === 'userEmail')?.value, 'alice%40example.com');
    assert.deepEqual((await timeline(shop.newBrowser())).requests, []);
  });
});
