import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startShop, type TestApp } from '../support/app.ts';
import type { Reply } from '../support/browser.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startShop);

/** A login from a new browser at `address`, as a classmate on the school's Wi-Fi would send it. */
async function loginFrom(app: TestApp, address: string, email: string, password: string): Promise<Reply> {
  const browser = app.newBrowser();
  const _csrf = await browser.csrfToken('/login');
  return browser.post('/login', { email, password, _csrf }, { 'x-forwarded-for': address });
}

/** The login page's error, tags taken out. */
function errorText(html: string): string {
  return (/<p class="flash flash--error" role="alert">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '');
}

describe('issue 17: a lockout says why and until when', () => {
  test('when classmates on the same network used up its attempts, then the next student is told that attempts from this network count together, and when logins open again', async () => {
    const app = await start({
      authMode: 'session',
      loginRateLimit: { maxFailuresPerAccount: 3, maxFailuresPerAccountTotal: 100, maxFailuresPerAddress: 4, windowMs: 10 * 60_000 },
      trustProxy: ['loopback'],
    });
    const school = '203.0.113.7';
    for (const name of ['ann', 'ben', 'cid', 'dee']) assert.equal((await loginFrom(app, school, `${name}@example.com`, 'a wrong guess')).status, 422);
    const before = Date.now();
    const refused = await loginFrom(app, school, demoUsers.alice.email, demoUsers.alice.password);
    assert.equal(refused.status, 429);
    const text = errorText(refused.text);
    assert.match(text, /^Too many login attempts\. Please wait 10 minutes and try again\. Attempts count per network: every browser behind this public address .* count against you\./);
    const opensAt = /Logins from this network open again at <time datetime="([^"]+)">/.exec(refused.text)?.[1];
    assert.ok(opensAt, 'the time logins open again');
    assert.match(text, /open again at [^<]*UTC\.$/, 'the period right after the time, as the sentence reads');
    const wait = Date.parse(opensAt) - before;
    assert.ok(wait > 9 * 60_000 && wait <= 10 * 60_000 + 1000, `opens in ${wait} ms`);
  });

  test('when one email was guessed wrong too often from here, then the words name that email\'s count, not the network', async () => {
    const app = await start({
      authMode: 'session',
      loginRateLimit: { maxFailuresPerAccount: 2, maxFailuresPerAccountTotal: 100, maxFailuresPerAddress: 100, windowMs: 60_000 },
      trustProxy: ['loopback'],
    });
    for (let attempt = 0; attempt < 2; attempt += 1) await loginFrom(app, '203.0.113.8', 'alice@example.com', 'a wrong guess');
    const text = errorText((await loginFrom(app, '203.0.113.8', 'alice@example.com', 'a wrong guess')).text);
    assert.match(text, /This counts the wrong passwords typed for this email from your network\. Logins to this email from your network open again at/);
    assert.doesNotMatch(text, /per network/);
  });
});
