import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPerSuite } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { demoUsers } from '../../models/seed.ts';

const shop = appPerSuite({ authMode: 'session' });

/** The login page's answer with the one part that must differ, the echoed email, taken out. */
function withoutEmail(html: string, email: string): string {
  return html.replaceAll(`value="${email}"`, 'value="…"');
}

test('when a login has the wrong password or an unknown email, then both get the same status and the same page', async () => {
  const browser = new Browser(shop().url);
  const wrongPassword = await browser.logIn('alice@example.com', 'not-her-password');
  const unknownEmail = await browser.logIn('nobody@example.com', demoUsers.alice.password);
  assert.equal(wrongPassword.status, 422);
  assert.equal(unknownEmail.status, wrongPassword.status);
  assert.match(wrongPassword.text, /<p class="flash flash--error" role="alert">Invalid email or password\.<\/p>/);
  assert.equal(withoutEmail(unknownEmail.text, 'nobody@example.com'), withoutEmail(wrongPassword.text, 'alice@example.com'));
  assert.match(wrongPassword.text, /name="password" value=""/, 'the password is not echoed');
  assert.equal(await browser.whoIsLoggedIn(), undefined);
});

test('operator injection: form fields shaped like query operators, repeated or missing never log anyone in', async () => {
  const browser = new Browser(shop().url);
  const bodies = [
    '',
    'email[$gt]=&password[$gt]=',
    `email[$ne]=x&password=${demoUsers.alice.password}`,
    `email=${demoUsers.alice.email}&email=${demoUsers.bob.email}&password=${demoUsers.alice.password}`,
    'email[$regex]=.*&password[$ne]=x',
  ];
  for (const body of bodies) {
    const _csrf = await browser.csrfToken('/login');
    const reply = await browser.request('POST', '/login', {
      body: `${body}&_csrf=${_csrf}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(reply.status, 422, body);
    assert.equal(await browser.whoIsLoggedIn(), undefined, body);
  }
});

test('operator injection: a JSON body with operators is not read as a form, so it is refused and nobody is logged in', async () => {
  const browser = new Browser(shop().url);
  const _csrf = await browser.csrfToken('/login');
  const reply = await browser.request('POST', '/login', {
    body: JSON.stringify({ email: { $gt: '' }, password: { $gt: '' }, _csrf }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(reply.status, 403);
  assert.equal(await browser.whoIsLoggedIn(), undefined);
});
