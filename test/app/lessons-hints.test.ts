import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import { becomeStudent, logOut, shownHints, stepHint } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);

describe('hints: a step not done says what the app saw and what is missing', () => {
  test('when a student forges only loggedIn, then lesson 1 says the browser sent loggedIn=true but no userEmail', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    browser.cookies.set('loggedIn', 'true');
    await browser.get('/');
    assert.equal(
      await stepHint(browser, 'forged-cookie'),
      'Your browser sent loggedIn=true and no userEmail. The server also wants userEmail, set to the email of an account.',
    );
    const page = await browser.get('/lessons/cookies-live-in-the-browser');
    assert.deepEqual(shownHints(page.text), ['Your browser sent loggedIn=true and no userEmail. The server also wants userEmail, set to the email of an account.']);
  });

  test('when a student forges an email nobody has, then the hint names it, escaped on the page', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    browser.cookies.set('loggedIn', 'true');
    browser.cookies.set('userEmail', '<b>nobody</b>');
    const page = await browser.get('/lessons/cookies-live-in-the-browser');
    assert.deepEqual(shownHints(page.text), ['Your browser sent loggedIn=true and userEmail=&lt;b&gt;nobody&lt;/b&gt;. No account has that email: try bob@example.com.']);
  });

  test('when the forgery succeeds, then the hint is gone', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    browser.cookies.set('loggedIn', 'true');
    await browser.get('/');
    browser.cookies.set('userEmail', 'bob@example.com');
    await browser.get('/');
    assert.equal(await stepHint(browser, 'forged-cookie'), null);
  });

  test('when a student follows lesson 8, then each hint says the next thing missing', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    assert.match(String(await stepHint(browser, 'replayed-after-logout')), /no login from this browser in session mode yet/);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    assert.match(String(await stepHint(browser, 'replayed-after-logout')), /You are logged in: copy the value of the sid cookie, then log out/);
    await logOut(browser);
    assert.match(String(await stepHint(browser, 'replayed-after-logout')), /You logged out, and your browser has not sent that old sid back yet/);
  });

  test('when a student has made only a plain cookie in the lab, then lesson 7 says none is HttpOnly', async () => {
    const shop = await start({ authMode: 'session' });
    const student = await becomeStudent(shop.browser);
    assert.equal(await stepHint(student, 'httponly-cookie'), 'The lab has not set a cookie for you yet: use the form below.');
    await student.submit('/lessons/cookie-attributes', { name: 'plain', value: 'x', path: '/', sameSite: 'lax', maxAge: '' }, '/lessons/cookie-attributes');
    await student.get('/');
    assert.equal(await stepHint(student, 'httponly-cookie'), 'None of your lab cookies (lab_plain) is HttpOnly: make one with HttpOnly ticked.');
    assert.equal(await stepHint(student, 'expired-cookie'), 'None of your lab cookies has a Max-Age: make one with a Max-Age of a few seconds.');
  });
});
