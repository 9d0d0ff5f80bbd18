import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp, type TestApp } from '../support/app.ts';
import { becomeStudent, completedSteps, logOut, stepHint } from '../support/lessons.ts';

const start = appPerTest(startTestApp);
const lessonPage = '/lessons/logout-and-expiry';

async function shortenIdleLimit(shop: TestApp, seconds: string) {
  const _csrf = await shop.csrfToken(lessonPage);
  return shop.request.post(`${lessonPage}/idle-limit`).type('form').send({ seconds, _csrf });
}

function sidLine(response: { headers: Record<string, unknown> }): string | undefined {
  return [response.headers['set-cookie'] ?? []].flat().map(String).find((line) => line.startsWith('sid='));
}

describe('lesson 8: idle expiry as a task', () => {
  test('when a student shortens their session to 5 s and stays away longer, then they come back logged out and the step is done', async () => {
    const shop = await start({ authMode: 'session' });
    await becomeStudent(shop.request);
    await shop.login('alice@example.com', 'alice-secret');
    const answer = await shortenIdleLimit(shop, '5');
    const expires = Date.parse(/Expires=([^;]+)/.exec(sidLine(answer) ?? '')?.[1] ?? '');
    assert.ok(expires - Date.now() <= 5_000 && expires - Date.now() > 2_000, 'the browser is told to keep sid for 5 s');
    assert.match(String(await stepHint(shop.request, 'idle-expired')), /ends after 5 seconds without a request; your browser keeps the sid cookie until/);
    assert.deepEqual(await completedSteps(shop.request), []);

    await sleep(expires - Date.now() + 200); // the cookie jar drops sid at its Expires, as a browser does
    assert.equal(await shop.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(shop.request), ['idle-expired']);
  });

  test('when a student shortens the limit and then logs out, then the logout does not count as an idle expiry', async () => {
    const shop = await start({ authMode: 'session' });
    await becomeStudent(shop.request);
    await shop.login('alice@example.com', 'alice-secret');
    await shortenIdleLimit(shop, '5');
    await logOut(shop, shop.request);
    await sleep(5_200);
    await shop.request.get('/');
    assert.deepEqual(await completedSteps(shop.request), []);
  });

  test('when nobody is logged in, or the limit is not a shorter whole number, then the page says why and nothing changes', async () => {
    const shop = await start({ authMode: 'session' });
    await becomeStudent(shop.request);
    await shortenIdleLimit(shop, '20');
    assert.match((await shop.request.get(lessonPage)).text, /Log in first, with the server in session mode/);
    await shop.login('alice@example.com', 'alice-secret');
    for (const seconds of ['4', '2.5', 'soon', '{"$gt":0}', '100000']) {
      const answer = await shortenIdleLimit(shop, seconds);
      assert.equal(answer.status, 302);
      assert.match((await shop.request.get(lessonPage)).text, /Choose a whole number of seconds from 5 to 299/);
    }
    assert.match(String(await stepHint(shop.request, 'idle-expired')), /You are logged in, and your session has the server's idle limit/);
  });
});
