import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MongoClient } from 'mongodb';
import { storedSessionKey } from '../../sessions/fingerprint.ts';
import { answers, freePort, startScript, type ScriptProcess } from '../support/child-process.ts';
import { waitUntil } from 'embedded-mongo/testing';
import { Browser } from '../support/browser.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';
import { demoUsers } from '../../models/seed.ts';

let database: TestDatabase;
let dataDir: string;

before(async () => {
  database = await startTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'shop-shutdown-'));
});

after(async () => {
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The shop as an operator runs it (JSON log at info), with sessions in MongoDB. */
async function startShop(databaseUri: string): Promise<{ shop: ScriptProcess; port: number; url: string }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const shop = await startScript('server.ts', [], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), DATA_DIR: dataDir, BCRYPT_ROUNDS: '4', MONGODB_URI: databaseUri },
    readyWhen: { http: `${url}/healthz` },
  });
  return { shop, port, url };
}

/**
 * A login POST whose headers the server has read (it answered 100 Continue), with the body held
 * back: a request in flight for as long as the test wants. `send` delivers the body.
 */
async function loginInFlight(url: string, cookie: string, body: string) {
  const login = request(`${url}/login`, {
    method: 'POST',
    headers: {
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      expect: '100-continue',
    },
  });
  const response = once(login, 'response') as Promise<[IncomingMessage]>;
  login.flushHeaders();
  await once(login, 'continue');
  return {
    async send() {
      login.end(body);
      const [answer] = await response;
      answer.resume();
      await once(answer, 'end');
      return answer;
    },
  };
}

test('when Ctrl+C arrives while a login is in flight, then the login completes, its session is stored, and the shop stops cleanly without an error line', async () => {
  const databaseUri = database.uri('shop');
  const { shop, port, url } = await startShop(databaseUri);
  const browser = new Browser(url);
  const _csrf = await browser.csrfToken('/login');
  const cookie = browser.cookieHeader();
  const body = new URLSearchParams({ ...demoUsers.alice, _csrf }).toString();

  const login = await loginInFlight(url, cookie, body);
  shop.child.kill('SIGINT');
  await waitUntil('the shop stops accepting connections', async () => !(await answers({ tcp: port })));
  const answer = await login.send();
  const exit = await shop.exited;

  assert.equal(answer.statusCode, 302, shop.output());
  assert.equal(answer.headers.location, '/');
  const sessionId = /sid=s%3A([^.]+)\./.exec(String(answer.headers['set-cookie']))?.[1];
  assert.ok(sessionId, 'the login set a session cookie');
  assert.deepEqual(exit, { code: 0, signal: null });

  const client = await MongoClient.connect(databaseUri);
  try {
    const stored = await client.db().collection('sessions').findOne({ _id: storedSessionKey(sessionId) as never });
    assert.ok(stored, 'the session the login created is in the store');
  } finally {
    await client.close();
  }
  const lines = shop.output().split('\n').filter((line) => line !== '');
  const alarming = lines.filter((line) => !/"level":"info"/.test(line));
  assert.deepEqual(alarming, [], `nothing but info lines (no "client was closed"):\n${shop.output()}`);
});
