import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Config, SessionStoreName } from '../../config.ts';
import { maxSessionsPerUser } from '../../sessions/active-sessions.ts';
import { sessionFingerprint } from '../../sessions/fingerprint.ts';
import { freePort, startScript } from './child-process.ts';
import { startTestApp, type TestApp } from './app.ts';
import { Browser } from './browser.ts';
import { sessionCookieName, sessionIdOf } from './session-cookie.ts';

/*
 * S20: a request that loaded a session before it ended must not save it back when it finishes.
 * Browser A keeps requests in flight that change its session (a wrong quiz answer adds a flash
 * message) while its session is ended one way or another; afterwards A's old cookie must open
 * nothing, the store must not hold it and the user's session list must not show it.
 */

/*
 * Races per way of ending a session. Measured with the rule in sessions/revocation.ts switched off
 * (mayOnlyUpdate always false): 42 of 45 races brought the session back (logout, login again, end
 * others, end one and instructor, with each of the three setups, 3 races each), so 3 races miss that
 * broken rule about once in 3,000 (0.07³). A password change and the absolute expiry end the session
 * through a second guard as well, which hides that control: they keep the 8 races every way ran before.
 */
const racesPerEnding = (path: string) => (path === 'password change' || path === 'absolute expiry' ? 8 : 3);
const writers = 4;
const absoluteMs = 1000;
/**
 * How long the writers keep saving before the absolute limit runs out: many saves in flight at that
 * moment, without the whole lifetime of them first (they keep a core busy while they run).
 */
const writersLeadMs = 150;

interface Race {
  shop: TestApp;
  email: string;
  password: string;
  /** A second tab of browser A: same cookies, its own requests. */
  victim: Browser;
  /** Another browser logged in as the same user. */
  other: Browser;
  victimSid: string;
  /** When the victim's login had answered: its session's absolute limit has run out by this time plus that limit. */
  loggedInAt: number;
}

type EndingPath = (race: Race) => Promise<void>;

async function postWithToken(browser: Browser, path: string, fields: Record<string, string>, tokenPage: string): Promise<void> {
  const reply = await browser.submit(path, fields, tokenPage);
  assert.equal(reply.status, 302, `${path} answers with a redirect`);
}

const endingPaths: Record<string, EndingPath> = {
  'logout': ({ victim }) => postWithToken(victim, '/logout', {}, '/'),
  'login again (regenerate)': async ({ victim, email, password }) => {
    assert.equal((await victim.logIn(email, password)).location, '/');
  },
  'password change': ({ other, password }) =>
    postWithToken(other, '/account/password', { currentPassword: password, newPassword: `${password}-new`, confirmPassword: `${password}-new` }, '/account/password'),
  'end others': ({ other, password }) => postWithToken(other, '/account/sessions/end-others', { currentPassword: password }, '/account/sessions'),
  'end one': ({ other, victimSid, password }) =>
    postWithToken(other, '/account/sessions/end', { fingerprint: sessionFingerprint(sessionIdOf(victimSid)), currentPassword: password }, '/account/sessions'),
  'instructor': async ({ shop, victimSid }) => {
    const instructor = await instructorOf(shop);
    await postWithToken(instructor, '/instructor/sessions/end', { session: sessionFingerprint(sessionIdOf(victimSid)) }, '/instructor');
  },
  // The writers' own requests find the session past its absolute limit and replace it.
  'absolute expiry': ({ loggedInAt }) => sleep(Math.max(0, loggedInAt + absoluteMs + 200 - Date.now())),
};

/** When the writers start: at once, but for the absolute expiry shortly before the limit, the moment that ends it. */
async function writersStart(path: string, loggedInAt: number): Promise<void> {
  if (path !== 'absolute expiry') return;
  const startAt = loggedInAt + absoluteMs - writersLeadMs;
  assert.ok(Date.now() < startAt, 'the race is set up before the absolute limit is near (if not, raise absoluteMs)');
  await sleep(startAt - Date.now());
}

const instructors = new WeakMap<TestApp, Promise<Browser>>();

/** One browser per app that typed the instructor token, once. */
function instructorOf(shop: TestApp): Promise<Browser> {
  let instructor = instructors.get(shop);
  if (!instructor) {
    const browser = new Browser(shop.url);
    instructor = postWithToken(browser, '/instructor/token', { token: shop.config.instructorToken ?? '' }, '/login').then(() => browser);
    instructors.set(shop, instructor);
  }
  return instructor;
}

/** A browser that sends exactly these cookies on every request, whatever the server answers. */
function replaying(url: string, cookies: Map<string, string>): Browser {
  const browser = new Browser(url);
  for (const [name, value] of cookies) browser.cookies.set(name, value);
  return browser;
}

async function newUser(shop: TestApp): Promise<{ email: string; password: string }> {
  const account = { email: `race-${randomUUID()}@example.com`, password: 'race-secret' };
  const signup = await new Browser(shop.url).signUp(account.email, account.password);
  assert.equal(signup.location, '/login', 'the account is created');
  return account;
}

async function loggedIn(shop: TestApp, email: string, password: string): Promise<Browser> {
  const browser = new Browser(shop.url);
  assert.equal((await browser.logIn(email, password)).location, '/', `${email} logs in`);
  return browser;
}

/**
 * One race; returns what of the ended session is still alive afterwards (empty: nothing).
 * The writers send their requests to `writersUrl`: the shop itself, or another process sharing its database.
 */
async function race(shop: TestApp, path: string, writersUrl: string): Promise<string[]> {
  const { email, password } = await newUser(shop);
  const victim = await loggedIn(shop, email, password);
  const loggedInAt = Date.now(); // the session began before the login answered
  await victim.get('/lessons/not-by-ip-address'); // becomes a student once, not once per writer
  const victimSid = victim.cookies.get(sessionCookieName)!;
  const victimCookies = new Map(victim.cookies);
  const token = await victim.csrfToken('/');
  const other = await loggedIn(shop, email, password);

  let ended = false;
  let savedAfterEnd = 0;
  const write = async () => {
    // Each writer goes on until one of its requests started after the end: the late saves are in.
    while (savedAfterEnd < writers) {
      const startedAfterEnd = ended;
      await replaying(writersUrl, victimCookies).post('/lessons/not-by-ip-address/answer', { answer: 'none of these', _csrf: token });
      if (startedAfterEnd) savedAfterEnd++;
    }
  };
  await writersStart(path, loggedInAt);
  const writing = Array.from({ length: writers }, write);
  await sleep(Math.random() * 20);
  try {
    await endingPaths[path]!({ shop, email, password, victim: replaying(shop.url, victimCookies), other, victimSid, loggedInAt });
  } finally {
    ended = true;
    await Promise.all(writing);
  }

  const alive: string[] = [];
  // A new browser per look: a reply may set a cookie for a new session, which must not be sent next.
  const oldCookie = () => replaying(shop.url, new Map([[sessionCookieName, victimSid]]));
  const orders = await oldCookie().get('/orders');
  if (orders.status === 200) alive.push('the old cookie opens /orders');
  const report = JSON.parse((await oldCookie().get('/api/session')).text) as { user: string | null; server: { cookieStatus?: string } };
  if (report.server.cookieStatus !== 'not in the store') alive.push(`the store holds it (${report.server.cookieStatus}, user ${report.user})`);
  const list = await other.get('/account/sessions');
  if (list.text.includes(sessionFingerprint(sessionIdOf(victimSid)))) alive.push('the user\'s session list shows it');
  return alive;
}

/** Another shop process on the same database and secrets, as a second instance behind a load balancer. */
async function secondProcess(shop: TestApp): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const instance = await startScript('server.ts', [], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATA_DIR: shop.config.dataDir,
      MONGODB_URI: shop.config.mongodbUri,
      SESSION_SECRET: shop.config.sessionSecrets.join(','),
      SESSION_ABSOLUTE_HOURS: String(shop.config.sessionLifetime.absoluteMs / 3_600_000),
      BCRYPT_ROUNDS: '4',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: String(shop.config.loginRateLimit.maxFailuresPerAccount),
      LOGIN_MAX_FAILURES_PER_ADDRESS: String(shop.config.loginRateLimit.maxFailuresPerAddress),
    },
    readyWhen: { http: `${url}/healthz` },
  });
  return { url, stop: () => instance.stop() };
}

/** Where the sessions live, and whether the racing requests go to a second shop process on the same database. */
export interface EndedSessionsSetup {
  name: string;
  sessionStore: SessionStoreName;
  processes: 1 | 2;
}

/**
 * S20 with every way of ending a session, on one setup. One test file per setup
 * (test/security/ended-sessions-*.test.ts), so the three can run side by side.
 */
export function describeEndedSessions({ name, sessionStore, processes }: EndedSessionsSetup): void {
  describe(`S20 ended sessions stay ended with ${name}`, () => {
    for (const path of Object.keys(endingPaths)) {
      describe(`ended by ${path}`, () => {
        let shop: TestApp;
        let second: Awaited<ReturnType<typeof secondProcess>> | undefined;
        // One app at a time: the models share one mongoose connection.
        before(async () => {
          const lifetime: Partial<Config> = path === 'absolute expiry' ? { sessionLifetime: { idleMs: 60_000, absoluteMs } } : {};
          shop = await startTestApp({ authMode: 'session', sessionStore, ...lifetime });
          if (processes === 2) second = await secondProcess(shop);
        });
        after(async () => {
          await second?.stop();
          await shop.stop();
        });

        const races = racesPerEnding(path);
        test(`when requests that save the session are in flight while it ends, then it never comes back (${races} races)`, async () => {
          const revivals: string[] = [];
          for (let round = 1; round <= races; round++) {
            for (const sign of await race(shop, path, second?.url ?? shop.url)) revivals.push(`race ${round}: ${sign}`);
          }
          assert.deepEqual(revivals, [], 'no revival');
        });
      });
    }
  });
}

/*
 * S28: a login whose password check began before a password change, and whose session is stored
 * only after the change listed the sessions to end, must not stay logged in with the old password.
 * Logins with the old password run in a loop, each on a new browser, while the password changes;
 * every one that was let in must be logged out by its next request.
 */

const loginRaces = 20;
const loginLoops = 6;
/** Old-password failures from one address: many more than the default 50 over all the races. */
const loginRateLimit = { maxFailuresPerAccount: 1000, maxFailuresPerAccountTotal: 100_000, maxFailuresPerAddress: 100_000, windowMs: 60_000 };

/** One race; returns how many logins with the old password got in, and which of them are still logged in. */
async function loginRace(shop: TestApp, loginsUrl: string): Promise<{ admitted: number; alive: string[] }> {
  const { email, password } = await newUser(shop);
  const changer = await loggedIn(shop, email, password);
  const token = await changer.csrfToken('/account/password');

  let changed = false;
  let startedBeforeChange = 0;
  const admitted: string[] = [];
  const logIn = async () => {
    // Each loop goes on until one of its logins started after the change had answered.
    for (let startedAfterChange = false; !startedAfterChange; ) {
      // An account keeps its newest sessions only: more logins before the change would end the changer's own.
      while (!changed && startedBeforeChange >= maxSessionsPerUser - 2) await sleep(1);
      if (!changed) startedBeforeChange += 1;
      const browser = new Browser(loginsUrl);
      const form = { email, password, _csrf: await browser.csrfToken('/login') };
      startedAfterChange = changed;
      if ((await browser.post('/login', form)).location === '/') admitted.push(browser.cookies.get(sessionCookieName)!);
    }
  };
  const loggingIn = Array.from({ length: loginLoops }, logIn);
  // Spread over a few logins' time, so the change meets logins at every step of theirs.
  await sleep(Math.random() * 40);
  try {
    const change = await changer.post('/account/password', { currentPassword: password, newPassword: `${password}-new`, confirmPassword: `${password}-new`, _csrf: token });
    assert.equal(change.location, '/account/sessions', 'the password changes');
  } finally {
    changed = true;
    await Promise.all(loggingIn);
  }

  const alive: string[] = [];
  for (const sid of admitted) {
    const cookie = () => replaying(shop.url, new Map([[sessionCookieName, sid]]));
    const orders = await cookie().get('/orders');
    const { user } = JSON.parse((await cookie().get('/api/session')).text) as { user: string | null };
    if (orders.status === 200 || user !== null) alive.push(`${sessionFingerprint(sessionIdOf(sid))} (/orders ${orders.status}, user ${user})`);
  }
  return { admitted: admitted.length, alive };
}

/** S28 on one setup. */
export function describeLoginRaces({ name, sessionStore, processes }: EndedSessionsSetup): void {
  describe(`S28 a password change ends the logins with the old password in flight, with ${name}`, () => {
    let shop: TestApp;
    let second: Awaited<ReturnType<typeof secondProcess>> | undefined;
    before(async () => {
      shop = await startTestApp({ authMode: 'session', sessionStore, loginRateLimit });
      if (processes === 2) second = await secondProcess(shop);
    });
    after(async () => {
      await second?.stop();
      await shop.stop();
    });

    test(`when logins with the old password are in flight while it changes, then none of them stays logged in (${loginRaces} races${processes === 2 ? ', the logins on the second process' : ''})`, async (t) => {
      const survivors: string[] = [];
      let admitted = 0;
      for (let round = 1; round <= loginRaces; round++) {
        const result = await loginRace(shop, second?.url ?? shop.url);
        admitted += result.admitted;
        for (const sid of result.alive) survivors.push(`race ${round}: ${sid}`);
      }
      t.diagnostic(`${admitted} logins with the old password were let in around the changes; ${survivors.length} still logged in`);
      assert.ok(admitted > 0, 'the logins raced the change: some were let in with the old password');
      assert.deepEqual(survivors, [], 'no login with the old password survives the change');
    });
  });
}
