import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sessionFingerprint } from '../../sessions/fingerprint.ts';
import { freePort, startScript } from '../support/child-process.ts';
import { waitUntil } from 'embedded-mongo/testing';
import { Browser, type Reply } from '../support/browser.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';
import { demoUsers } from '../../models/seed.ts';

const absoluteLimitHours = 0.001; // 3.6 s

interface RunningApp {
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** The shop as its own process, in test mode but with its log on, as an operator would run it. */
async function startLoggedApp(database: TestDatabase, dataDir: string): Promise<RunningApp> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const app = await startScript('server.ts', [], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      DATA_DIR: dataDir,
      BCRYPT_ROUNDS: '4',
      MONGODB_URI: database.uri('shop'),
      AUTH_MODE: 'session',
      SESSION_STORE: 'memory',
      SESSION_ABSOLUTE_HOURS: String(absoluteLimitHours),
    },
    readyWhen: { http: `${url}/healthz` },
  });
  return { url, output: app.output, stop: () => app.stop() };
}

/** The session id inside every sid cookie a response sets. */
function idsSetBy(response: Reply): string[] {
  return response.setCookies
    .map((cookie) => /^sid=s%3A([^.;]+)\./.exec(cookie)?.[1])
    .filter((id) => id !== undefined);
}

let database: TestDatabase;
let dataDir: string;
let app: RunningApp;
const issuedIds: string[] = [];
let loginIds: { before: string; after: string };
let tamperedCookie: string;

before(async () => {
  database = await startTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'shop-logs-'));
  app = await startLoggedApp(database, dataDir);
  const browser = new Browser(app.url);
  const record = (response: Reply) => {
    issuedIds.push(...idsSetBy(response));
    return response;
  };

  const logIn = async (visitor: Browser) => {
    const loginPage = record(await visitor.get('/login'));
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)?.[1] ?? '';
    return record(await visitor.post('/login', { ...demoUsers.alice, _csrf }));
  };
  // Logging in again replaces the session the first login stored with a new id.
  const first = await logIn(browser);
  const login = await logIn(browser);
  loginIds = { before: idsSetBy(first)[0] ?? '', after: idsSetBy(login)[0] ?? '' };

  const signed = decodeURIComponent(/sid=([^;]+)/.exec(String(login.setCookies))?.[1] ?? '');
  tamperedCookie = signed.slice(0, -2) + (signed.endsWith('AA') ? 'BB' : 'AA');
  record(await new Browser(app.url).get('/', { cookie: `sid=${encodeURIComponent(tamperedCookie)}` }));

  const home = record(await browser.get('/'));
  const logoutToken = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
  record(await browser.post('/logout', { _csrf: logoutToken }));
  record(await new Browser(app.url).get('/', { cookie: `sid=${encodeURIComponent(signed)}` })); // the logged-out id again

  const second = new Browser(app.url);
  await logIn(second);
  // Busy or not, the second visitor's session ends at the absolute limit: ask until it has.
  await waitUntil('the absolute limit ends a session', async () => {
    record(await second.get('/'));
    return app.output().includes('"reason":"absolute"');
  }, { intervalMs: 250 });
});

after(async () => {
  await app.stop();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The session events the app logged; every line it wrote is JSON, since anything else would break a log collector. */
function sessionEvents(): Record<string, unknown>[] {
  const lines = app.output().split('\n').filter((line) => line !== '');
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return entries.filter(({ msg }) => String(msg).startsWith('session.')).map(({ msg, ...fields }) => ({ event: msg, ...fields }));
}

test('S19 logs carry a hash of the session id, never the id itself: no issued id appears anywhere in the output', () => {
  assert.ok(issuedIds.length >= 4, `the run issued ${issuedIds.length} session ids`);
  for (const id of [...issuedIds, tamperedCookie]) assert.ok(!app.output().includes(id), 'an id appears in the log');
});

test('S19 logs carry a hash of the session id, never the id itself: each session event names its session by a 16-hex fingerprint', () => {
  const events = sessionEvents();
  assert.deepEqual(
    [...new Set(events.map(({ event }) => event))].sort(),
    ['session.destroyed', 'session.expired', 'session.regenerated', 'session.rejected-signature', 'session.unknown-id'],
  );
  for (const event of events) {
    assert.match(String(event.session), /^[0-9a-f]{16}$/, JSON.stringify(event));
    assert.equal(event.level, 'info');
    assert.ok(!Number.isNaN(Date.parse(String(event.time))), JSON.stringify(event));
  }
});

test('S19 logs carry a hash of the session id, never the id itself: a login is logged with the fingerprints of the old and the new id', () => {
  const regenerated = sessionEvents().filter(({ event, session }) => event === 'session.regenerated' && session === sessionFingerprint(loginIds.after));
  assert.deepEqual(
    regenerated.map(({ session, previous }) => ({ session, previous })),
    [{ session: sessionFingerprint(loginIds.after), previous: sessionFingerprint(loginIds.before) }],
  );
});

test('S19 logs carry a hash of the session id, never the id itself: logout, the replayed logged-out id and the absolute limit each leave their line', () => {
  const events = sessionEvents();
  const loggedIn = sessionFingerprint(loginIds.after);
  assert.ok(events.some(({ event, session, reason }) => event === 'session.destroyed' && session === loggedIn && reason === 'logout'));
  assert.ok(events.some(({ event, session }) => event === 'session.unknown-id' && session === loggedIn));
  assert.ok(events.some(({ event, reason }) => event === 'session.expired' && reason === 'absolute'));
  assert.ok(events.some(({ event, session }) => event === 'session.rejected-signature' && session === sessionFingerprint(tamperedCookie)));
});
