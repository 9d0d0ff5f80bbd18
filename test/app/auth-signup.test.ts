import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { shopPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';

const shop = shopPerSuite({ authMode: 'session' });

let browser: Browser;
beforeEach(() => {
  browser = shop().newBrowser();
});

describe('signup', () => {
  test('when carol signs up, then she is sent to login with a confirmation and can log in', async () => {
    const response = await browser.signUp('carol@example.com', 'carol-secret', 'carol-secret');
    assert.equal(response.status, 302);
    assert.equal(response.location, '/login');
    assert.match((await browser.get('/login')).text, /Your account is ready\. Please log in\./);
    await browser.logIn('carol@example.com', 'carol-secret');
    assert.equal(await browser.whoIsLoggedIn(), 'carol@example.com');
  });

  const invalid = [
    { case: 'the email is empty', email: '', password: 'long-enough', confirm: 'long-enough', message: /Please enter your email address\./ },
    { case: 'the email has no domain', email: 'dave@', password: 'long-enough', confirm: 'long-enough', message: /Please enter a valid email address, like name@example\.com\./ },
    { case: 'the password is short', email: 'dave@example.com', password: 'short', confirm: 'short', message: /The password needs at least 8 characters\./ },
    { case: 'the password is longer than bcrypt reads', email: 'dave@example.com', password: 'x'.repeat(73), confirm: 'x'.repeat(73), message: /The password can have at most 72 characters\./ },
    { case: 'the confirmation differs', email: 'dave@example.com', password: 'long-enough', confirm: 'long-enougH', message: /The passwords do not match\./ },
  ];
  for (const { case: description, email, password, confirm, message } of invalid) {
    test(`when ${description}, then the form comes back (422) with that message and the email kept`, async () => {
      const response = await browser.signUp(email, password, confirm);
      assert.equal(response.status, 422);
      assert.match(response.text, message);
      assert.match(response.text, new RegExp(`name="email" value="${email}"`));
      assert.doesNotMatch(response.text, new RegExp(`value="${password}"`), 'the password is not echoed');
      await browser.logIn(email, password);
      assert.equal(await browser.whoIsLoggedIn(), undefined, 'no account was created');
    });
  }

  test('when the email belongs to alice, in any capitalisation, then signup says so and her password still works', async () => {
    for (const email of ['alice@example.com', 'ALICE@Example.com']) {
      const response = await browser.signUp(email, 'taken-over', 'taken-over');
      assert.equal(response.status, 422);
      assert.match(response.text, /An account with this email already exists\./);
    }
    await browser.logIn('alice@example.com', 'alice-secret');
    assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
  });

  test('when fields are missing or not plain text, then each gets a message and nothing breaks', async () => {
    const _csrf = await browser.csrfToken('/signup');
    const response = await browser.post('/signup', { 'email[$gt]': '', _csrf });
    assert.equal(response.status, 422);
    assert.match(response.text, /Please enter your email address\./);
    assert.match(response.text, /The password needs at least 8 characters\./);
  });
});
