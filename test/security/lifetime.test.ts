import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig, type SessionStoreName } from '../../config.ts';
import { appPerTest, startTestApp } from '../support/app.ts';
import { loggedInEmailIn, type Browser, type Reply } from '../support/browser.ts';
import { testClock } from '../support/clock.ts';
import { demoUsers } from '../../models/seed.ts';

const idleMs = 2000;
const activityEveryMs = 500;

const clock = testClock();
const start = appPerTest(startTestApp);

/** The cookie header a browser would send now, to replay it after the browser itself dropped it. */
function sidCookieOf(response: Reply): string {
  const header = response.setCookies.find((cookie) => cookie.startsWith('sid='));
  if (!header) throw new Error('the response sets no sid cookie');
  return header.split(';')[0] ?? '';
}

/** The shop page as this browser sees it, and whether it shows someone logged in. */
async function shopPage(browser: Browser, headers: Record<string, string> = {}): Promise<{ loggedIn: boolean; text: string }> {
  const { text } = await browser.get('/', headers);
  return { loggedIn: loggedInEmailIn(text) !== undefined, text };
}

for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`session lifetime with the ${sessionStore} store`, () => {
    test('S5 idle timeout: when alice keeps clicking, then her session outlives the idle limit', async () => {
      const shop = await start({ authMode: 'session', sessionStore, sessionLifetime: { idleMs, absoluteMs: 60_000 } });
      await shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
      for (let busyMs = 0; busyMs <= idleMs; busyMs += activityEveryMs) {
        clock.advance(activityEveryMs);
        assert.equal((await shopPage(shop.browser)).loggedIn, true, `still logged in after ${busyMs + activityEveryMs} ms of activity`);
      }
    });

    test('S5 idle timeout: when alice is silent past the idle limit, then her session is over, also for a copy of her cookie', async () => {
      const shop = await start({ authMode: 'session', sessionStore, sessionLifetime: { idleMs, absoluteMs: 60_000 } });
      await shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
      const cookie = sidCookieOf(await shop.browser.get('/cart'));
      clock.advance(idleMs + 1);
      // The browser drops the expired cookie by itself; a stolen copy must not work on the server either.
      // The copy is sent as it is on every request, whatever the server answers.
      const replay = shop.newBrowser();
      assert.equal((await shopPage(replay, { cookie })).loggedIn, false);
      assert.equal((await replay.get('/cart', { cookie })).headers.location, '/login');
      assert.equal((await shopPage(shop.browser)).loggedIn, false);
    });

    test('S6 absolute lifetime: when alice is active all the time, then her session still ends at the absolute limit', async () => {
      const absoluteMs = 3000;
      const shop = await start({ authMode: 'session', sessionStore, sessionLifetime: { idleMs, absoluteMs } });
      const loginStartedAt = Date.now();
      await shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
      const answers: { afterMs: number; loggedIn: boolean; text: string }[] = [];
      // Bounded: the session must be over well before the activity stops.
      while (Date.now() - loginStartedAt < absoluteMs + 4 * activityEveryMs) {
        clock.advance(activityEveryMs);
        const afterMs = Date.now() - loginStartedAt;
        const { loggedIn, text } = await shopPage(shop.browser);
        answers.push({ afterMs, loggedIn, text });
        if (!loggedIn) break;
      }
      const ended = answers.find(({ loggedIn }) => !loggedIn);
      assert.ok(ended, `still logged in after ${answers.at(-1)?.afterMs} ms`);
      assert.ok(ended.afterMs >= absoluteMs, `ended after ${ended.afterMs} ms, before the absolute limit`);
      assert.ok(answers[0]?.loggedIn, 'logged in at first');
      assert.match(ended.text, /Your session reached its maximum length, so you were logged out\. Please log in again\./);
    });
  });
}

describe('session lifetime settings', () => {
  test('when the limits are given in fractions, then they are read as minutes and hours', () => {
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'not-used', SESSION_IDLE_MINUTES: '0.05', SESSION_ABSOLUTE_HOURS: '0.5' });
    assert.deepEqual(config.sessionLifetime, { idleMs: 3000, absoluteMs: 30 * 60_000 });
  });

  test('when no limits are given, then sessions end after 30 idle minutes and 8 hours at most', () => {
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'not-used' }).sessionLifetime, { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 });
  });
});
