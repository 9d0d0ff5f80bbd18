import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Config } from '../../config.ts';
import { appPerTest, startTestApp, type TestApp } from '../support/app.ts';
import type { Reply } from '../support/browser.ts';
import { testClock } from '../support/clock.ts';
import { demoUsers } from '../../models/seed.ts';

const clock = testClock();
const start = appPerTest(startTestApp);

async function startShop(limits: Partial<Config['loginRateLimit']>): Promise<TestApp> {
  return start({
    authMode: 'session',
    loginRateLimit: { maxFailuresPerAccount: 3, maxFailuresPerAccountTotal: 100, maxFailuresPerAddress: 100, windowMs: 60_000, ...limits },
    // The test plays the proxy, so each request can say which client address it comes from.
    trustProxy: ['loopback'],
  });
}

/** A login from a new browser at `address`. */
async function loginFrom(app: TestApp, address: string, email: string, password: string): Promise<Reply> {
  const browser = app.newBrowser();
  const _csrf = await browser.csrfToken('/login');
  return browser.post('/login', { email, password, _csrf }, { 'x-forwarded-for': address });
}

async function failLogins(app: TestApp, email: string, times: number): Promise<void> {
  for (let attempt = 1; attempt <= times; attempt += 1) {
    assert.equal((await app.browser.logIn(email, 'a wrong guess')).status, 422, `attempt ${attempt} is an ordinary failure`);
  }
}

function assertRefused(response: Reply): void {
  assert.equal(response.status, 429);
  assert.match(String(response.headers['retry-after']), /^[1-9]\d*$/);
  assert.match(response.text, /Too many login attempts\. Please wait \d+ (second|minute)s? and try again\./);
}

describe('login rate limit', () => {
  test('when alice\'s password is guessed wrong up to the limit, then the next try is refused with 429 and Retry-After, even with her password', async () => {
    const app = await startShop({});
    await failLogins(app, 'alice@example.com', 3);
    assertRefused(await app.browser.logIn(demoUsers.alice.email, demoUsers.alice.password));
    assert.equal(await app.browser.whoIsLoggedIn(), undefined);
  });

  test('when an unknown email is tried as often, then the answer matches an existing account\'s, so it reveals nothing', async () => {
    const app = await startShop({});
    await failLogins(app, 'alice@example.com', 3);
    await failLogins(app, 'nobody@example.com', 3);
    const existing = await app.browser.logIn('alice@example.com', 'a wrong guess');
    const unknown = await app.browser.logIn('nobody@example.com', 'a wrong guess');
    assertRefused(existing);
    assertRefused(unknown);
    // The wait counts from each email's first attempt, made a moment apart: only its words must match.
    const message = (response: Reply) =>
      /<p class="flash flash--error"[^>]*>([^<]*)</.exec(response.text)?.[1]?.replace(/\d+ (second|minute)s?/, '<wait>');
    assert.equal(message(unknown), message(existing));
    const waits = [unknown, existing].map((response) => Number(response.headers['retry-after']));
    assert.ok(Math.abs(waits[0]! - waits[1]!) <= 5, `Retry-After ${waits.join(' and ')}`);
  });

  test('when one address tries many accounts, then it is refused past the address limit', async () => {
    const app = await startShop({ maxFailuresPerAddress: 4 });
    for (const name of ['ann', 'ben', 'cid', 'dee']) await failLogins(app, `${name}@example.com`, 1);
    assertRefused(await app.browser.logIn('eve@example.com', 'a wrong guess'));
  });

  test('when alice logs in successfully, then her earlier failures no longer count', async () => {
    const app = await startShop({});
    await failLogins(app, 'alice@example.com', 2);
    assert.equal((await app.browser.logIn(demoUsers.alice.email, demoUsers.alice.password)).status, 302);
    const browser = app.newBrowser();
    await failLogins(app, 'alice@example.com', 2);
    assert.equal((await browser.logIn(demoUsers.alice.email, demoUsers.alice.password)).status, 302);
    assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
  });

  test('when bob\'s account is refused, then alice can still log in', async () => {
    const app = await startShop({});
    await failLogins(app, 'bob@example.com', 3);
    assertRefused(await app.browser.logIn(demoUsers.bob.email, demoUsers.bob.password));
    assert.equal((await app.browser.logIn(demoUsers.alice.email, demoUsers.alice.password)).status, 302);
  });

  test('when the window has passed, then alice may log in again', async () => {
    const windowMs = 60_000;
    const app = await startShop({ windowMs });
    await failLogins(app, 'alice@example.com', 3);
    assertRefused(await app.browser.logIn(demoUsers.alice.email, demoUsers.alice.password));
    clock.advance(windowMs);
    assert.equal((await app.browser.logIn(demoUsers.alice.email, demoUsers.alice.password)).status, 302);
  });

  test('when guesses arrive all at once, then no more than the limit are checked', async () => {
    const app = await startShop({});
    const _csrf = await app.browser.csrfToken('/login');
    const guesses = Array.from({ length: 10 }, (_, n) => app.browser.post('/login', { email: 'alice@example.com', password: `guess ${n}`, _csrf }));
    const statuses = (await Promise.all(guesses)).map(({ status }) => status).sort();
    assert.deepEqual(statuses, [...Array(3).fill(422), ...Array(7).fill(429)]);
  });

  test('when a stranger guesses alice\'s password wrong up to the limit, then only the stranger is refused: alice logs in from her own address', async () => {
    const app = await startShop({});
    for (let guess = 1; guess <= 3; guess += 1) assert.equal((await loginFrom(app, '198.51.100.66', 'alice@example.com', 'a guess')).status, 422);
    assertRefused(await loginFrom(app, '198.51.100.66', demoUsers.alice.email, demoUsers.alice.password));
    assert.equal((await loginFrom(app, '203.0.113.10', demoUsers.alice.email, demoUsers.alice.password)).status, 302);
  });

  test('when many addresses guess alice\'s password, then the account is refused past its total limit, from any address', async () => {
    const app = await startShop({ maxFailuresPerAccountTotal: 6 });
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      for (let guess = 1; guess <= 2; guess += 1) assert.equal((await loginFrom(app, address, 'alice@example.com', 'a guess')).status, 422);
    }
    assertRefused(await loginFrom(app, '198.51.100.4', 'alice@example.com', 'a guess'));
  });
});

describe('S24 instructor token rate limit', () => {
  const tryToken = async (app: TestApp, address: string, token: string) => {
    const browser = app.newBrowser();
    const _csrf = await browser.csrfToken('/instructor');
    return browser.post('/instructor/token', { token, _csrf }, { 'x-forwarded-for': address });
  };

  test('when one address guesses the instructor token wrong up to the limit, then it is refused with 429 and Retry-After, even with the right token; other addresses are not', async () => {
    const app = await start({ addressRateLimit: { maxSignups: 20, maxInstructorTokenFailures: 3, maxNewStudents: 200 }, trustProxy: ['loopback'] });
    const token = app.config.instructorToken ?? '';
    for (let guess = 1; guess <= 3; guess += 1) assert.equal((await tryToken(app, '198.51.100.7', `a guess from the back row ${guess}`)).status, 403);
    const refused = await tryToken(app, '198.51.100.7', token);
    assert.equal(refused.status, 429);
    assert.match(String(refused.headers['retry-after']), /^[1-9]\d*$/);
    assert.match(refused.text, /Too many wrong tokens\. Please wait \d+ (second|minute)s? and try again\./);
    const instructorCookie = (response: Reply) => response.setCookies.find((header) => header.startsWith('instructor='));
    assert.equal(instructorCookie(refused), undefined);
    const instructor = await tryToken(app, '203.0.113.20', token);
    assert.equal(instructor.status, 302);
    assert.match(instructorCookie(instructor) ?? '', /Max-Age=28800;/);
  });
});

describe('S24 signup rate limit', () => {
  test('when one address signs up up to the limit, then the next signup is refused with 429 and Retry-After and creates no account', async () => {
    const app = await start({ addressRateLimit: { maxSignups: 3, maxInstructorTokenFailures: 10, maxNewStudents: 200 } });
    assert.equal((await app.browser.signUp('first@example.com', 'first-secret-1')).status, 302);
    assert.equal((await app.browser.signUp('second@example.com', 'second-secret-1', 'a typo')).status, 422, 'a failed signup counts too');
    assert.equal((await app.browser.signUp(demoUsers.alice.email, 'third-secret-1')).status, 422, 'an existing email counts too');
    const refused = await app.browser.signUp('fourth@example.com', 'fourth-secret-1');
    assert.equal(refused.status, 429);
    assert.match(String(refused.headers['retry-after']), /^[1-9]\d*$/);
    assert.match(refused.text, /Too many signups from your network\. Please wait \d+ (second|minute)s? and try again\./);
    assert.equal((await app.browser.logIn('fourth@example.com', 'fourth-secret-1')).status, 422, 'no account was made');
  });
});
