import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { becomeStudent, completedSteps, logOut, shownFeedback } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);

/** Types loggedIn=true and this userEmail into the developer tools, as lesson 1 asks. */
function forgeLogin(browser: Browser, email: string): void {
  browser.cookies.set('loggedIn', 'true');
  browser.cookies.set('userEmail', email);
}

describe('lesson 1: a forged login cookie (cookie mode)', () => {
  test('when a student forges loggedIn and userEmail, then the app says they forged it', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    forgeLogin(browser, 'bob@example.com');
    await browser.get('/');
    assert.deepEqual(await completedSteps(browser), ['forged-cookie']);
    const lesson = await browser.get('/lessons/cookies-live-in-the-browser');
    assert.match(shownFeedback(lesson.text).join(), /You forged it/);
  });

  test('when a student logs in for real, then the cookies the server set do not count as forged', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await browser.get('/cart');
    assert.deepEqual(await completedSteps(browser), []);
  });

  test('when a browser logged in for real before it opened the lessons, then its cookies do not count as forged', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await becomeStudent(browser);
    await browser.get('/cart');
    assert.deepEqual(await completedSteps(browser), []);
  });

  test('when a student logs in as alice and edits userEmail to bob, then it counts as forged', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    browser.cookies.set('userEmail', 'bob@example.com');
    await browser.get('/');
    assert.deepEqual(await completedSteps(browser), ['forged-cookie']);
  });

  test('when a student puts back the cookies of a login they logged out of, then it counts as forged', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await logOut(browser);
    forgeLogin(browser, 'alice@example.com');
    await browser.get('/');
    assert.deepEqual(await completedSteps(browser), ['forged-cookie']);
  });

  test('when the forged email has no account, then nobody is let in and the task is not done', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    forgeLogin(browser, 'nobody@example.com');
    await browser.get('/');
    assert.deepEqual(await completedSteps(browser), []);
  });

  test('when the server runs in session mode, then the same forged cookies prove nothing', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    forgeLogin(browser, 'bob@example.com');
    await browser.get('/');
    assert.deepEqual(await completedSteps(browser), []);
  });
});

describe('lesson 2: a login on the request object (request mode)', () => {
  test('when a student logs in, then the app sees the login vanish on the redirect', async () => {
    const { browser } = await start({ authMode: 'request' });
    await becomeStudent(browser);
    const response = await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await browser.get(response.location ?? '/');
    assert.deepEqual(await completedSteps(browser), ['login-vanished']);
  });

  test('when a student only types a wrong password, then nothing vanished and the task is not done', async () => {
    const { browser } = await start({ authMode: 'request' });
    await becomeStudent(browser);
    await browser.logIn('alice@example.com', 'wrong-password');
    await browser.get('/');
    assert.deepEqual(await completedSteps(browser), []);
  });
});

describe('lesson 3: a login in a global variable (global mode)', () => {
  test('when a student logs in and a second browser opens the shop, then the app notices the second visitor', async () => {
    const { browser, newBrowser } = await start({ authMode: 'global' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    assert.equal(await newBrowser().whoIsLoggedIn(), 'alice@example.com');
    assert.deepEqual(await completedSteps(browser), ['second-visitor']);
  });

  test('when only the browser that logged in visits, then nobody else was let in and the task is not done', async () => {
    const { browser } = await start({ authMode: 'global' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await browser.get('/cart');
    assert.deepEqual(await completedSteps(browser), []);
  });

  test('when the student logged out before the second browser came, then it is not let in and the task is not done', async () => {
    const { browser, newBrowser } = await start({ authMode: 'global' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await logOut(browser);
    assert.equal(await newBrowser().whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(browser), []);
  });
});
