import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { readdirSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { test } from 'node:test';
import { secretChecks, signatureChecks } from '../../rate-limit/secret-checks.ts';
import { demoUsers } from '../../models/seed.ts';
import { User } from '../../models/user.ts';
import { appPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { routesOf } from './support/routes.ts';

const limit = 3;
const shop = appPerSuite({
  authMode: 'session',
  loginRateLimit: { maxFailuresPerAccount: limit, maxFailuresPerAccountTotal: 100, maxFailuresPerAddress: 50, windowMs: 15 * 60_000 },
  addressRateLimit: { maxSignups: limit, maxInstructorTokenFailures: limit, maxNewStudents: 200 },
});

/** The app's own code: what the routes can reach (the database, tests and scripts are not the shop's). */
const notTheShop = ['node_modules', 'test', 'e2e', 'db', 'bench', 'scripts', 'packages', '.ci', 'public'];
/** A comparison of a guess with a secret: bcrypt's check, or a constant-time comparison of a token. */
const secretComparison = /\bbcrypt\.compare(Sync)?\(|\btimingSafeEqual\(/;

function filesComparingSecrets(): string[] {
  return readdirSync('.', { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !notTheShop.includes(file.split(sep)[0] ?? ''))
    .filter((file) => secretComparison.test(readFileSync(file, 'utf8')))
    .map((file) => file.split(sep).join('/'));
}

/**
 * Logged in as an account of its own: the forms that ask for the current password count together
 * per account (and a signup here would use up the signup limit this suite tests).
 */
async function logInAsNewAccount(browser: Browser): Promise<void> {
  const account = { email: `guesser-${randomUUID()}@example.com`, password: 'guesser-secret' };
  await User.create({ email: account.email, password: await bcrypt.hash(account.password, 4) });
  assert.equal((await browser.logIn(account.email, account.password)).status, 302);
}

/** A wrong guess at each route of the table, from a visitor who may make it. */
const wrongGuesses: Record<string, (browser: Browser) => Promise<Record<string, string>>> = {
  '/login': async () => ({ email: 'alice@example.com', password: 'not-her-password' }),
  '/signup': async () => ({ email: `guess-${randomUUID()}@example.com`, password: 'guess-secret', confirmPassword: 'guess-secret' }),
  '/instructor/token': async () => ({ token: 'not-the-token' }),
  '/account/password': async (browser) => {
    await browser.logIn(demoUsers.bob.email, demoUsers.bob.password);
    return { currentPassword: 'not-my-password', newPassword: 'new-guess-secret', confirmPassword: 'new-guess-secret' };
  },
  '/account/sessions/end': async (browser) => {
    await logInAsNewAccount(browser);
    return { currentPassword: 'not-my-password', fingerprint: '0123456789abcdef' };
  },
  '/account/sessions/end-others': async (browser) => {
    await logInAsNewAccount(browser);
    return { currentPassword: 'not-my-password' };
  },
};

/** The page whose form carries the CSRF token for a route of the table. */
function tokenPageOf(route: string): string {
  return route.startsWith('/account/sessions') ? '/account/sessions' : route === '/account/password' ? route : '/login';
}

test('S29 every file that compares a guess with a password or token is in the table of secret checks', () => {
  const found = filesComparingSecrets();
  assert.ok(found.includes('controllers/auth.ts'), `the scan finds the login's bcrypt check (found ${found.join(', ')})`);
  const listed = new Set<string>([...secretChecks, ...signatureChecks].map(({ checkedIn }) => checkedIn));
  assert.deepEqual(found.filter((file) => !listed.has(file)), [], 'a secret is checked in a file the table does not name');
});

test('S29 every route of the table exists and answers 429 once its limit of wrong guesses is used up', async () => {
  const postRoutes = routesOf(shop().app).filter(({ method }) => method === 'POST').map(({ path }) => path);
  // Every visitor is ready before any limit is used up.
  const visitors = await Promise.all(
    secretChecks.map(async ({ route }) => {
      const guess = wrongGuesses[route];
      assert.ok(guess, `the test knows a wrong guess for POST ${route}`);
      const browser = shop().newBrowser();
      return { route, browser, fields: await guess(browser) };
    }),
  );
  for (const { route, browser, fields } of visitors) {
    assert.ok(postRoutes.includes(route), `POST ${route} is a route`);
    const tokenPage = tokenPageOf(route);
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= limit; attempt++) statuses.push((await browser.submit(route, fields, tokenPage)).status);
    assert.equal(statuses.at(-1), 429, `POST ${route}: ${statuses.join(', ')}`);
    assert.ok(!statuses.slice(0, limit).includes(429), `POST ${route} refuses only past its limit: ${statuses.join(', ')}`);
  }
});
