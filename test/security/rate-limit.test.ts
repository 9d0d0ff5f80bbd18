import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type supertest from 'supertest';
import type { Config } from '../../config.ts';
import { appPerTest, startTestApp, type TestApp } from '../support/app.ts';
import { testClock } from '../support/clock.ts';

const clock = testClock();
const start = appPerTest(startTestApp);

async function startShop(limits: Partial<Config['loginRateLimit']>): Promise<TestApp> {
  return start({
    authMode: 'session',
    loginRateLimit: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 100, windowMs: 60_000, ...limits },
  });
}

async function failLogins(app: TestApp, email: string, times: number): Promise<void> {
  for (let attempt = 1; attempt <= times; attempt += 1) {
    assert.equal((await app.login(email, 'a wrong guess')).status, 422, `attempt ${attempt} is an ordinary failure`);
  }
}

function assertRefused(response: supertest.Response): void {
  assert.equal(response.status, 429);
  assert.match(String(response.headers['retry-after']), /^[1-9]\d*$/);
  assert.match(response.text, /Too many login attempts\. Please wait \d+ (second|minute)s? and try again\./);
}

describe('login rate limit', () => {
  test('when alice\'s password is guessed wrong up to the limit, then the next try is refused with 429 and Retry-After, even with her password', async () => {
    const app = await startShop({});
    await failLogins(app, 'alice@example.com', 3);
    assertRefused(await app.login('alice@example.com', 'alice-secret'));
    assert.equal(await app.whoIsLoggedIn(), undefined);
  });

  test('when an unknown email is tried as often, then the answer matches an existing account\'s, so it reveals nothing', async () => {
    const app = await startShop({});
    await failLogins(app, 'alice@example.com', 3);
    await failLogins(app, 'nobody@example.com', 3);
    const existing = await app.login('alice@example.com', 'a wrong guess');
    const unknown = await app.login('nobody@example.com', 'a wrong guess');
    assertRefused(existing);
    assertRefused(unknown);
    const message = (response: supertest.Response) => /<p class="flash flash--error"[^>]*>([^<]*)</.exec(response.text)?.[1];
    assert.equal(message(unknown), message(existing));
    assert.equal(unknown.headers['retry-after'], existing.headers['retry-after']);
  });

  test('when one address tries many accounts, then it is refused past the address limit', async () => {
    const app = await startShop({ maxFailuresPerAddress: 4 });
    for (const name of ['ann', 'ben', 'cid', 'dee']) await failLogins(app, `${name}@example.com`, 1);
    assertRefused(await app.login('eve@example.com', 'a wrong guess'));
  });

  test('when alice logs in successfully, then her earlier failures no longer count', async () => {
    const app = await startShop({});
    await failLogins(app, 'alice@example.com', 2);
    assert.equal((await app.login('alice@example.com', 'alice-secret')).status, 302);
    const client = app.newClient();
    await failLogins(app, 'alice@example.com', 2);
    assert.equal((await app.login('alice@example.com', 'alice-secret', client)).status, 302);
    assert.equal(await app.whoIsLoggedIn(client), 'alice@example.com');
  });

  test('when bob\'s account is refused, then alice can still log in', async () => {
    const app = await startShop({});
    await failLogins(app, 'bob@example.com', 3);
    assertRefused(await app.login('bob@example.com', 'bob-secret'));
    assert.equal((await app.login('alice@example.com', 'alice-secret')).status, 302);
  });

  test('when the window has passed, then alice may log in again', async () => {
    const windowMs = 60_000;
    const app = await startShop({ windowMs });
    await failLogins(app, 'alice@example.com', 3);
    assertRefused(await app.login('alice@example.com', 'alice-secret'));
    clock.advance(windowMs);
    assert.equal((await app.login('alice@example.com', 'alice-secret')).status, 302);
  });

  test('when guesses arrive all at once, then no more than the limit are checked', async () => {
    const app = await startShop({});
    const _csrf = await app.csrfToken('/login');
    const guesses = Array.from({ length: 10 }, (_, n) =>
      app.request.post('/login').type('form').send({ email: 'alice@example.com', password: `guess ${n}`, _csrf }),
    );
    const statuses = (await Promise.all(guesses)).map(({ status }) => status).sort();
    assert.deepEqual(statuses, [...Array(3).fill(422), ...Array(7).fill(429)]);
  });
});
