import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionStoreName } from '../../config.ts';
import { sessionFingerprint } from '../../sessions/fingerprint.ts';
import { appPerTest, startTestApp, type TestApp } from '../support/app.ts';
import type { Browser, Reply } from '../support/browser.ts';

const start = appPerTest(startTestApp);

interface ListedSession {
  fingerprint: string;
  isCurrent: boolean;
}

/** The sessions the account page lists for this browser's user. */
async function listedSessions(browser: Browser): Promise<{ sessions: ListedSession[]; text: string }> {
  const page = await browser.get('/account/sessions');
  assert.equal(page.status, 200);
  const sessions = [...page.text.matchAll(/<li class="sessions__item( sessions__item--current)?">\s*<h2><code>([^<]*)<\/code>/g)].map(
    ([, current, fingerprint = '']) => ({ fingerprint, isCurrent: current !== undefined }),
  );
  return { sessions, text: page.text };
}

async function loggedInBrowser(app: TestApp, email: string, password: string): Promise<{ browser: Browser; sessionId: string }> {
  const browser = app.newBrowser();
  const login = await browser.logIn(email, password);
  assert.equal(login.status, 302, `${email} logs in`);
  return { browser, sessionId: sessionIdSetBy(login) };
}

function sessionIdSetBy(response: Reply): string {
  const cookie = response.setCookies.find((header) => header.startsWith('sid='));
  const id = /^sid=s%3A([^.;]+)\./.exec(cookie ?? '')?.[1];
  if (!id) throw new Error('the response sets no signed sid cookie');
  return id;
}

function post(browser: Browser, path: string, fields: Record<string, string> = {}): Promise<Reply> {
  return browser.submit(path, fields, '/account/sessions');
}

for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`other sessions with the ${sessionStore} store`, () => {
    test('S17 when alice is logged in with two browsers, then each lists both by fingerprint, marks itself, and shows no session id', async () => {
      const app = await start({ authMode: 'session', sessionStore });
      const first = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const second = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      await loggedInBrowser(app, 'bob@example.com', 'bob-secret');
      const { sessions, text } = await listedSessions(first.browser);
      assert.deepEqual(sessions, [
        { fingerprint: sessionFingerprint(first.sessionId), isCurrent: true },
        { fingerprint: sessionFingerprint(second.sessionId), isCurrent: false },
      ]);
      assert.ok(!text.includes(first.sessionId) && !text.includes(second.sessionId), 'no session id on the page');
    });

    test('S17 when alice ends her other session, then that browser is logged out on its next request and hers stays', async () => {
      const app = await start({ authMode: 'session', sessionStore });
      const first = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const second = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const ended = await post(first.browser, '/account/sessions/end', { fingerprint: sessionFingerprint(second.sessionId), currentPassword: 'alice-secret' });
      assert.equal(ended.headers.location, '/account/sessions');
      assert.equal((await second.browser.get('/cart')).headers.location, '/login');
      assert.equal(await second.browser.whoIsLoggedIn(), undefined);
      const { sessions, text } = await listedSessions(first.browser);
      assert.match(text, /That session has been logged out\./);
      assert.deepEqual(sessions, [{ fingerprint: sessionFingerprint(first.sessionId), isCurrent: true }]);
    });

    test('S17 when alice logs out all her other sessions, then they all end and bob\'s session is untouched', async () => {
      const app = await start({ authMode: 'session', sessionStore });
      const [first, second, third] = await Promise.all([1, 2, 3].map(() => loggedInBrowser(app, 'alice@example.com', 'alice-secret')));
      const bob = await loggedInBrowser(app, 'bob@example.com', 'bob-secret');
      await post(first!.browser, '/account/sessions/end-others', { currentPassword: 'alice-secret' });
      assert.match((await first!.browser.get('/account/sessions')).text, /2 other sessions logged out\./);
      assert.equal(await second!.browser.whoIsLoggedIn(), undefined);
      assert.equal(await third!.browser.whoIsLoggedIn(), undefined);
      assert.equal(await first!.browser.whoIsLoggedIn(), 'alice@example.com');
      assert.equal(await bob.browser.whoIsLoggedIn(), 'bob@example.com');
    });

    test('S17 when bob posts the fingerprint of alice\'s session, then alice stays logged in', async () => {
      const app = await start({ authMode: 'session', sessionStore });
      const alice = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const bob = await loggedInBrowser(app, 'bob@example.com', 'bob-secret');
      await post(bob.browser, '/account/sessions/end', { fingerprint: sessionFingerprint(alice.sessionId), currentPassword: 'bob-secret' });
      assert.match((await bob.browser.get('/account/sessions')).text, /That session had already ended\./);
      assert.equal(await alice.browser.whoIsLoggedIn(), 'alice@example.com');
    });

    test('7.5.2 when alice asks to log out her other sessions without her password or with a wrong one, then they stay logged in and she is told why', async () => {
      const app = await start({ authMode: 'session', sessionStore });
      const first = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const second = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const attempts: [string, Record<string, string>][] = [
        ['/account/sessions/end-others', {}],
        ['/account/sessions/end-others', { currentPassword: 'bob-secret' }],
        ['/account/sessions/end', { fingerprint: sessionFingerprint(second.sessionId), currentPassword: 'not-it' }],
      ];
      for (const [path, fields] of attempts) {
        const refused = await post(first.browser, path, fields);
        assert.equal(refused.status, 422, `${path} ${JSON.stringify(fields)}`);
        assert.match(refused.text, /That is not your current password: no session was logged out\./);
        assert.equal(await second.browser.whoIsLoggedIn(), 'alice@example.com', `${path}: the other session stays`);
      }
      assert.equal(await first.browser.whoIsLoggedIn(), 'alice@example.com');
    });

    test('S17 when alice changes her password, then her other sessions end, this one gets a new id, and only the new password works', async () => {
      const app = await start({ authMode: 'session', sessionStore });
      const first = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const second = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const change = await post(first.browser, '/account/password', {
        currentPassword: 'alice-secret',
        newPassword: 'a brand new secret',
        confirmPassword: 'a brand new secret',
      });
      assert.equal(change.headers.location, '/account/sessions');
      assert.notEqual(sessionIdSetBy(change), first.sessionId);
      assert.match((await first.browser.get('/account/sessions')).text, /Your password has been changed\. 1 other session logged out\./);
      assert.equal(await first.browser.whoIsLoggedIn(), 'alice@example.com');
      assert.equal(await second.browser.whoIsLoggedIn(), undefined);
      const replay = app.newBrowser();
      replay.cookies.set('sid', `s%3A${first.sessionId}`);
      assert.equal(await replay.whoIsLoggedIn(), undefined);
      assert.equal((await app.newBrowser().logIn('alice@example.com', 'alice-secret')).status, 422);
      assert.equal((await app.newBrowser().logIn('alice@example.com', 'a brand new secret')).status, 302);
    });
  });
}

describe('the current password, asked again by every form that ends sessions', () => {
  test('7.5.2 when wrong passwords are typed into the end-sessions forms, then they count with the password form\'s: past the per-account limit every one of them answers 429', async () => {
    const app = await start({ authMode: 'session', loginRateLimit: { maxFailuresPerAccount: 2, maxFailuresPerAccountTotal: 100, maxFailuresPerAddress: 100, windowMs: 15 * 60_000 } });
    const alice = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
    assert.equal((await post(alice.browser, '/account/sessions/end-others', { currentPassword: 'guess-1' })).status, 422);
    assert.equal((await post(alice.browser, '/account/sessions/end', { fingerprint: '0123456789abcdef', currentPassword: 'guess-2' })).status, 422);
    for (const [path, fields] of [
      ['/account/password', { currentPassword: 'alice-secret', newPassword: 'a brand new secret', confirmPassword: 'a brand new secret' }],
      ['/account/sessions/end-others', { currentPassword: 'alice-secret' }],
    ] as const) {
      const refused = await post(alice.browser, path, fields);
      assert.equal(refused.status, 429, `${path} after two wrong passwords elsewhere`);
      assert.match(refused.text, /Too many wrong current passwords\. Please wait \d+ minutes? and try again\./);
    }
  });
});

describe('the change-password form', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['the current password is wrong', { currentPassword: 'not-it', newPassword: 'long enough', confirmPassword: 'long enough' }, /That is not your current password\./],
    ['the new password is short', { currentPassword: 'alice-secret', newPassword: 'short', confirmPassword: 'short' }, /The password needs at least 8 characters\./],
    ['the new password is the old one', { currentPassword: 'alice-secret', newPassword: 'alice-secret', confirmPassword: 'alice-secret' }, /The new password must differ from the current one\./],
    ['the confirmation differs', { currentPassword: 'alice-secret', newPassword: 'long enough', confirmPassword: 'long enougH' }, /The passwords do not match\./],
    ['the fields are missing', {}, /That is not your current password\./],
  ];
  for (const [when, fields, message] of cases) {
    test(`when ${when}, then the form answers 422 with the reason and the password stays`, async () => {
      const app = await start({ authMode: 'session' });
      const alice = await loggedInBrowser(app, 'alice@example.com', 'alice-secret');
      const response = await post(alice.browser, '/account/password', fields);
      assert.equal(response.status, 422);
      assert.match(response.text, message);
      assert.doesNotMatch(response.text, /value="alice-secret"/);
      assert.equal((await app.newBrowser().logIn('alice@example.com', 'alice-secret')).status, 302);
    });
  }
});

describe('the account pages without sessions', () => {
  test('when alice opens her sessions in cookie mode, then the page explains there are none to list or end', async () => {
    const app = await start({ authMode: 'cookie' });
    const alice = app.newBrowser();
    await alice.logIn('alice@example.com', 'alice-secret');
    const { sessions, text } = await listedSessions(alice);
    assert.deepEqual(sessions, []);
    assert.match(text, /In <strong>cookie<\/strong> mode the server keeps no sessions, so there is nothing to list and nothing to end/);
    const end = await post(alice, '/account/sessions/end-others');
    assert.equal(end.headers.location, '/account/sessions');
    assert.match((await alice.get('/account/sessions')).text, /This auth mode keeps no sessions, so there is none to end\./);
  });

  test('when an anonymous visitor opens the account pages, then they are sent to login', async () => {
    const app = await start({ authMode: 'session' });
    for (const path of ['/account/sessions', '/account/password']) {
      assert.equal((await app.newBrowser().get(path)).headers.location, '/login', path);
    }
  });
});
