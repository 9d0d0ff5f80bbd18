import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp, type TestApp } from '../support/app.ts';
import { becomeStudent, completedSteps, logOut, startRestartableShop } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);
const startRestartable = appPerTest(startRestartableShop);

/** A logged-in student in session mode and the value of their sid cookie. */
async function loggedInStudent(shop: TestApp) {
  await becomeStudent(shop.browser);
  await shop.browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
  const sid = shop.browser.cookies.get('sid');
  assert.ok(sid, 'the login sets a sid cookie');
  assert.deepEqual(await completedSteps(shop.browser), [], 'a login alone completes no task');
  return sid;
}

describe('lesson 5: an edited session cookie', () => {
  test('when a student changes the signature of their sid, then they are a stranger and the app says the server ignored it', async () => {
    const shop = await start({ authMode: 'session' });
    const sid = await loggedInStudent(shop);
    shop.browser.cookies.set('sid', sid.slice(0, -1) + (sid.endsWith('A') ? 'B' : 'A'));
    assert.equal(await shop.browser.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(shop.browser), ['tampered-sid']);
  });

  test('when a student strips the signature off their sid, then that counts as edited too', async () => {
    const shop = await start({ authMode: 'session' });
    const sid = await loggedInStudent(shop);
    shop.browser.cookies.set('sid', decodeURIComponent(sid).replace(/^s:/, '').replace(/\..*$/, ''));
    assert.equal(await shop.browser.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(shop.browser), ['tampered-sid']);
  });

  test('when a student leaves their sid alone, then they stay logged in and the task is not done', async () => {
    const shop = await start({ authMode: 'session' });
    await loggedInStudent(shop);
    assert.equal(await shop.browser.whoIsLoggedIn(), 'alice@example.com');
    assert.deepEqual(await completedSteps(shop.browser), []);
  });
});

describe('lesson 6: sessions across a restart', () => {
  test('when a student logs in with the MongoDB store and the server restarts, then they are still logged in and the app notices', async () => {
    const restartable = await startRestartable({ authMode: 'session', sessionStore: 'mongodb' });
    await loggedInStudent(restartable.shop);
    await restartable.restart();
    assert.equal(await restartable.shop.browser.whoIsLoggedIn(), 'alice@example.com');
    assert.deepEqual(await completedSteps(restartable.shop.browser), ['survived-restart']);
  });

  test('when a student logs in with the memory store and the server restarts, then the login is gone and the app notices', async () => {
    const restartable = await startRestartable({ authMode: 'session', sessionStore: 'memory' });
    await loggedInStudent(restartable.shop);
    await restartable.restart();
    assert.equal(await restartable.shop.browser.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(restartable.shop.browser), ['lost-in-restart']);
  });

  test('when a student who logged in with the MongoDB store restarts with the memory store and does not log in, then no login was lost and the step stays open', async () => {
    const restartable = await startRestartable({ authMode: 'session', sessionStore: 'mongodb' });
    await loggedInStudent(restartable.shop);
    await restartable.restart();
    assert.deepEqual(await completedSteps(restartable.shop.browser), ['survived-restart']);
    await restartable.restart({ sessionStore: 'memory' });
    await restartable.shop.browser.get('/lessons/session-stores');
    assert.deepEqual(await completedSteps(restartable.shop.browser), ['survived-restart']);
  });
});

describe('lesson 8: replaying a cookie after logout', () => {
  test('when a student replays their old sid in a browser whose cookies were cleared, then it is refused and the app recognises the student', async () => {
    const shop = await start({ authMode: 'session' });
    const sid = await loggedInStudent(shop);
    await logOut(shop.browser);
    // A student who also cleared the browser's cookies by hand: the old sid still names them.
    const clearedBrowser = shop.newBrowser();
    clearedBrowser.cookies.set('sid', sid);
    assert.equal(await clearedBrowser.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(clearedBrowser), ['replayed-after-logout']);
    assert.equal(clearedBrowser.cookies.get('student'), shop.browser.cookies.get('student'));
  });

  test('when a second browser replays a copy of a sid that is still logged in, then it is let in and nothing counts as refused', async () => {
    const shop = await start({ authMode: 'session' });
    const sid = await loggedInStudent(shop);
    const copy = shop.newBrowser();
    copy.cookies.set('sid', sid);
    assert.equal(await copy.whoIsLoggedIn(), 'alice@example.com');
    assert.deepEqual(await completedSteps(shop.browser), []);
  });
});
