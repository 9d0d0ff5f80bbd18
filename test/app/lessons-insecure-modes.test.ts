import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import { becomeStudent, completedSteps, editCookie, logOut, shownFeedback } from '../support/lessons.ts';

const start = appPerTest(startTestApp);

describe('lesson 1: a forged login cookie (cookie mode)', () => {
  test('when a student forges loggedIn and userEmail, then the app says they forged it', async () => {
    const { request, url } = await start({ authMode: 'cookie' });
    await becomeStudent(request);
    editCookie(request, url, 'loggedIn', 'true');
    editCookie(request, url, 'userEmail', 'bob@example.com');
    await request.get('/');
    assert.deepEqual(await completedSteps(request), ['forged-cookie']);
    const lesson = await request.get('/lessons/cookies-live-in-the-browser');
    assert.match(shownFeedback(lesson.text).join(), /You forged it/);
  });

  test('when a student logs in for real, then the cookies the server set do not count as forged', async () => {
    const { request, login } = await start({ authMode: 'cookie' });
    await becomeStudent(request);
    await login('alice@example.com', 'alice-secret');
    await request.get('/cart');
    assert.deepEqual(await completedSteps(request), []);
  });

  test('when a browser logged in for real before it opened the lessons, then its cookies do not count as forged', async () => {
    const { request, login } = await start({ authMode: 'cookie' });
    await login('alice@example.com', 'alice-secret');
    await becomeStudent(request);
    await request.get('/cart');
    assert.deepEqual(await completedSteps(request), []);
  });

  test('when a student logs in as alice and edits userEmail to bob, then it counts as forged', async () => {
    const { request, url, login } = await start({ authMode: 'cookie' });
    await becomeStudent(request);
    await login('alice@example.com', 'alice-secret');
    editCookie(request, url, 'userEmail', 'bob@example.com');
    await request.get('/');
    assert.deepEqual(await completedSteps(request), ['forged-cookie']);
  });

  test('when a student puts back the cookies of a login they logged out of, then it counts as forged', async () => {
    const shop = await start({ authMode: 'cookie' });
    const { request, url, login } = shop;
    await becomeStudent(request);
    await login('alice@example.com', 'alice-secret');
    await logOut(shop, request);
    editCookie(request, url, 'loggedIn', 'true');
    editCookie(request, url, 'userEmail', 'alice@example.com');
    await request.get('/');
    assert.deepEqual(await completedSteps(request), ['forged-cookie']);
  });

  test('when the forged email has no account, then nobody is let in and the task is not done', async () => {
    const { request, url } = await start({ authMode: 'cookie' });
    await becomeStudent(request);
    editCookie(request, url, 'loggedIn', 'true');
    editCookie(request, url, 'userEmail', 'nobody@example.com');
    await request.get('/');
    assert.deepEqual(await completedSteps(request), []);
  });

  test('when the server runs in session mode, then the same forged cookies prove nothing', async () => {
    const { request, url } = await start({ authMode: 'session' });
    await becomeStudent(request);
    editCookie(request, url, 'loggedIn', 'true');
    editCookie(request, url, 'userEmail', 'bob@example.com');
    await request.get('/');
    assert.deepEqual(await completedSteps(request), []);
  });
});

describe('lesson 2: a login on the request object (request mode)', () => {
  test('when a student logs in, then the app sees the login vanish on the redirect', async () => {
    const { request, login } = await start({ authMode: 'request' });
    await becomeStudent(request);
    const response = await login('alice@example.com', 'alice-secret');
    await request.get(response.headers.location ?? '/');
    assert.deepEqual(await completedSteps(request), ['login-vanished']);
  });

  test('when a student only types a wrong password, then nothing vanished and the task is not done', async () => {
    const { request, login } = await start({ authMode: 'request' });
    await becomeStudent(request);
    await login('alice@example.com', 'wrong-password');
    await request.get('/');
    assert.deepEqual(await completedSteps(request), []);
  });
});

describe('lesson 3: a login in a global variable (global mode)', () => {
  test('when a student logs in and a second browser opens the shop, then the app notices the second visitor', async () => {
    const { request, login, newClient, whoIsLoggedIn } = await start({ authMode: 'global' });
    await becomeStudent(request);
    await login('alice@example.com', 'alice-secret');
    assert.equal(await whoIsLoggedIn(newClient()), 'alice@example.com');
    assert.deepEqual(await completedSteps(request), ['second-visitor']);
  });

  test('when only the browser that logged in visits, then nobody else was let in and the task is not done', async () => {
    const { request, login } = await start({ authMode: 'global' });
    await becomeStudent(request);
    await login('alice@example.com', 'alice-secret');
    await request.get('/cart');
    assert.deepEqual(await completedSteps(request), []);
  });

  test('when the student logged out before the second browser came, then it is not let in and the task is not done', async () => {
    const shop = await start({ authMode: 'global' });
    const { request, login, newClient, whoIsLoggedIn } = shop;
    await becomeStudent(request);
    await login('alice@example.com', 'alice-secret');
    await logOut(shop, request);
    assert.equal(await whoIsLoggedIn(newClient()), undefined);
    assert.deepEqual(await completedSteps(request), []);
  });
});
