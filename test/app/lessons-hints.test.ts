import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import { becomeStudent, editCookie, logOut, shownHints, stepHint } from '../support/lessons.ts';

const start = appPerTest(startTestApp);

describe('hints: a step not done says what the app saw and what is missing', () => {
  test('when a student forges only loggedIn, then lesson 1 says the browser sent loggedIn=true but no userEmail', async () => {
    const { request, url } = await start({ authMode: 'cookie' });
    await becomeStudent(request);
    editCookie(request, url, 'loggedIn', 'true');
    await request.get('/');
    assert.equal(
      await stepHint(request, 'forged-cookie'),
      'Your browser sent loggedIn=true and no userEmail. The server also wants userEmail, set to the email of an account.',
    );
    const page = await request.get('/lessons/cookies-live-in-the-browser');
    assert.deepEqual(shownHints(page.text), ['Your browser sent loggedIn=true and no userEmail. The server also wants userEmail, set to the email of an account.']);
  });

  test('when a student forges an email nobody has, then the hint names it, escaped on the page', async () => {
    const { request, url } = await start({ authMode: 'cookie' });
    await becomeStudent(request);
    editCookie(request, url, 'loggedIn', 'true');
    editCookie(request, url, 'userEmail', '<b>nobody</b>');
    const page = await request.get('/lessons/cookies-live-in-the-browser');
    assert.deepEqual(shownHints(page.text), ['Your browser sent loggedIn=true and userEmail=&lt;b&gt;nobody&lt;/b&gt;. No account has that email: try bob@example.com.']);
  });

  test('when the forgery succeeds, then the hint is gone', async () => {
    const { request, url } = await start({ authMode: 'cookie' });
    await becomeStudent(request);
    editCookie(request, url, 'loggedIn', 'true');
    await request.get('/');
    editCookie(request, url, 'userEmail', 'bob@example.com');
    await request.get('/');
    assert.equal(await stepHint(request, 'forged-cookie'), null);
  });

  test('when a student follows lesson 8, then each hint says the next thing missing', async () => {
    const shop = await start({ authMode: 'session' });
    await becomeStudent(shop.request);
    assert.match(String(await stepHint(shop.request, 'replayed-after-logout')), /no login from this browser in session mode yet/);
    await shop.login('alice@example.com', 'alice-secret');
    assert.match(String(await stepHint(shop.request, 'replayed-after-logout')), /You are logged in: copy the value of the sid cookie, then log out/);
    await logOut(shop, shop.request);
    assert.match(String(await stepHint(shop.request, 'replayed-after-logout')), /You logged out, and your browser has not sent that old sid back yet/);
  });

  test('when a student has made only a plain cookie in the lab, then lesson 7 says none is HttpOnly', async () => {
    const shop = await start({ authMode: 'session' });
    const student = await becomeStudent(shop.request);
    assert.equal(await stepHint(student, 'httponly-cookie'), 'The lab has not set a cookie for you yet: use the form below.');
    const _csrf = await shop.csrfToken('/lessons/cookie-attributes');
    await student.post('/lessons/cookie-attributes').type('form').send({ name: 'plain', value: 'x', path: '/', sameSite: 'lax', maxAge: '', _csrf });
    await student.get('/');
    assert.equal(await stepHint(student, 'httponly-cookie'), 'None of your lab cookies (lab_plain) is HttpOnly: make one with HttpOnly ticked.');
    assert.equal(await stepHint(student, 'expired-cookie'), 'None of your lab cookies has a Max-Age: make one with a Max-Age of a few seconds.');
  });
});
