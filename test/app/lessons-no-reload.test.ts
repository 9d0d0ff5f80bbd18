import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lessons, lessonWithStep } from '../../teaching/lesson-catalog.ts';
import { appPerTest, startTestApp } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { becomeStudent, completedSteps, logOut, setLabCookie } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

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
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    const sid = String(browser.cookies.get('sid'));
    await logOut(browser);
    browser.cookies.set('sid', sid);
    assert.deepEqual(await pageCheck(browser), ['replayed-after-logout']);
    browser.cookies.set('sid', sid.slice(0, -1) + (sid.endsWith('A') ? 'B' : 'A'));
    assert.deepEqual((await pageCheck(browser)).sort(), ['replayed-after-logout', 'tampered-sid']);
    for (const step of ['tampered-sid', 'replayed-after-logout'] as const) assert.match(taskOf(step), /No reload needed: this page checks every 2 seconds/);
  });

  test('no step of any lesson asks for a reload that a check of the open page does for it', () => {
    for (const { id, task } of lessons.flatMap(({ steps }) => steps)) assert.doesNotMatch(task, /\breload\b(?! needed)/, id);
  });

  test('when a student sets an HttpOnly cookie in lesson 7\'s lab and only the lesson page\'s check follows, then the step is done, as its words say', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    await setLabCookie(browser, { name: 'hidden', httpOnly: 'on' });
    assert.deepEqual(await pageCheck(browser), ['httponly-cookie']);
    assert.match(taskOf('httponly-cookie'), /No reload needed/);
  });
});
