import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lessonWithStep } from '../../teaching/lesson-catalog.ts';
import { appPerTest, startTestApp } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { becomeStudent, completedSteps, logOut } from '../support/lessons.ts';

const start = appPerTest(startTestApp);

/** What an open lesson page does by itself every 2 seconds: the only request after the change. */
async function pageCheck(browser: Browser): Promise<string[]> {
  return completedSteps(browser); // GET /api/lessons/progress, as lessons.js sends it
}

function taskOf(step: Parameters<typeof lessonWithStep>[0]): string {
  return lessonWithStep(step).steps.find(({ id }) => id === step)?.task ?? '';
}

/*
 * Issue 17: steps that said "then reload" were done before the reload, since the open lesson page's
 * own check sends the cookies. The words now say so, and this is what they promise.
 */
describe('issue 17: the steps that need no reload say so', () => {
  test('when a student forges lesson 1\'s cookies and only the lesson page\'s check follows, then the step is done, as its words say', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    browser.cookies.set('loggedIn', 'true');
    browser.cookies.set('userEmail', 'bob@example.com');
    assert.deepEqual(await pageCheck(browser), ['forged-cookie']);
    assert.match(taskOf('forged-cookie'), /No reload needed: this page checks every 2 seconds/);
  });

  test('when a student edits the sid or puts back an old one and only the lesson page\'s check follows, then the step is done, as its words say', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    await browser.logIn('alice@example.com', 'alice-secret');
    const sid = String(browser.cookies.get('sid'));
    await logOut(browser);
    browser.cookies.set('sid', sid);
    assert.deepEqual(await pageCheck(browser), ['replayed-after-logout']);
    browser.cookies.set('sid', sid.slice(0, -1) + (sid.endsWith('A') ? 'B' : 'A'));
    assert.deepEqual((await pageCheck(browser)).sort(), ['replayed-after-logout', 'tampered-sid']);
    for (const step of ['tampered-sid', 'replayed-after-logout'] as const) assert.match(taskOf(step), /No reload needed: this page checks every 2 seconds/);
  });

  test('no step asks for a reload that a check of the open page does for it', () => {
    for (const step of ['forged-cookie', 'tampered-sid', 'survived-restart', 'lost-in-restart', 'replayed-after-logout', 'idle-expired', 'signed-cookie-forged', 'signed-cookie-replayed', 'session-replay-refused'] as const) {
      assert.doesNotMatch(taskOf(step), /\breload\b(?! needed)/, step);
    }
  });
});
