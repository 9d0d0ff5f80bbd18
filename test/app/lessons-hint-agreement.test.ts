import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import { becomeStudent, startRestartableShop, stepHint } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);
const startRestartable = appPerTest(startRestartableShop);
const instructorToken = 'hint-agreement-instructor-token';

/** Who /api/session says this browser is. */
async function sessionUser(browser: { get(path: string): Promise<{ json<T>(): T }> }): Promise<string | null> {
  return (await browser.get('/api/session')).json<{ user: string | null }>().user;
}

describe('issue 17: hints agree with each other and with /api/session', () => {
  test('when lesson 6 is done as written (MongoDB: log in, restart; memory: log in, restart), then both of lesson 8\'s hints say the student is not logged in', async () => {
    const restartable = await startRestartable({ authMode: 'session', sessionStore: 'mongodb' });
    await becomeStudent(restartable.shop.browser);
    await restartable.shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await restartable.restart();
    await restartable.restart({ sessionStore: 'memory' }); // the panel's switch
    await restartable.shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await restartable.restart();
    const { browser } = restartable.shop;
    await browser.get('/lessons/logout-and-expiry');
    assert.equal(await sessionUser(browser), null);
    const replay = String(await stepHint(browser, 'replayed-after-logout'));
    const idle = String(await stepHint(browser, 'idle-expired'));
    assert.match(replay, /^You are not logged in/);
    assert.match(idle, /^You are not logged in/);
  });

  for (const enrolled of ['after', 'before']) {
    test(`when the instructor ends the session of a login made ${enrolled} opening the lessons, then the hints say the login was seen and its session ended`, async () => {
      const shop = await start({ authMode: 'session', instructorToken });
      const { browser } = shop;
      if (enrolled === 'after') await becomeStudent(browser);
      await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
      const instructor = shop.newBrowser();
      await instructor.submit('/instructor/token', { token: instructorToken }, '/instructor');
      await instructor.submit('/instructor/sessions/end-all', {}, '/instructor');
      await browser.get('/lessons/sessions');
      assert.equal(await sessionUser(browser), null);
      const ended = /^The app saw your login in session mode; its session was ended on the server at \S+Z \(from the instructor panel, .*you are logged out\./;
      assert.match(String(await stepHint(browser, 'tampered-sid')), ended);
      assert.match(String(await stepHint(browser, 'replayed-after-logout')), ended);
      assert.match(String(await stepHint(browser, 'survived-restart')), ended);
      assert.match(String(await stepHint(browser, 'idle-expired')), /^You are not logged in/);

      // A new login is the one the hints speak of.
      await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
      assert.equal(await sessionUser(browser), 'alice@example.com');
      assert.equal(await stepHint(browser, 'replayed-after-logout'), 'You are logged in: copy the value of the sid cookie, then log out.');
      assert.match(String(await stepHint(browser, 'idle-expired')), /^You are logged in/);
    });
  }
});
