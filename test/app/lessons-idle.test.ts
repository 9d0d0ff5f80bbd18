import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import type { Browser, Reply } from '../support/browser.ts';
import { becomeStudent, completedSteps, logOut, stepHint } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);
const lessonPage = '/lessons/logout-and-expiry';

function shortenIdleLimit(student: Browser, seconds: string) {
  return student.submit(`${lessonPage}/idle-limit`, { seconds }, lessonPage);
}

function sidLine(response: Reply): string | undefined {
  return response.setCookies.find((line) => line.startsWith('sid='));
}

describe('lesson 8: idle expiry as a task', () => {
  test('when a student shortens their session to 5 s and stays away longer, then they come back logged out and the step is done', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    const answer = await shortenIdleLimit(browser, '5');
    const expires = Date.parse(/Expires=([^;]+)/.exec(sidLine(answer) ?? '')?.[1] ?? '');
    assert.ok(expires - Date.now() <= 5_000 && expires - Date.now() > 2_000, 'the browser is told to keep sid for 5 s');
    assert.match(String(await stepHint(browser, 'idle-expired')), /ends after 5 seconds without a request; your browser keeps the sid cookie until/);
    assert.deepEqual(await completedSteps(browser), []);

    await sleep(expires - Date.now() + 200); // the browser drops sid at its Expires
    assert.equal(await browser.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(browser), ['idle-expired']);
  });

  test('when a student shortens the limit and then logs out, then the logout does not count as an idle expiry', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await shortenIdleLimit(browser, '5');
    await logOut(browser);
    await sleep(5_200);
    await browser.get('/');
    assert.deepEqual(await completedSteps(browser), []);
  });

  test('when nobody is logged in, or the limit is not a shorter whole number, then the page says why and nothing changes', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    await shortenIdleLimit(browser, '20');
    assert.match((await browser.get(lessonPage)).text, /Log in first, with the server in session mode/);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    for (const seconds of ['4', '2.5', 'soon', '{"$gt":0}', '100000']) {
      const answer = await shortenIdleLimit(browser, seconds);
      assert.equal(answer.status, 302);
      assert.match((await browser.get(lessonPage)).text, /Choose a whole number of seconds from 5 to 299/);
    }
    assert.match(String(await stepHint(browser, 'idle-expired')), /You are logged in, and your session has the server's idle limit/);
  });
});
