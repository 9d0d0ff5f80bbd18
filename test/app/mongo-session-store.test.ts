import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import session from 'express-session';
import { MongoClient } from 'mongodb';
import { MongoSessionStore, SessionStoreError, type MongoSessionStoreOptions } from '../../sessions/mongo-store.ts';
import { connectionString, generateCredentials, startEmbeddedMongo } from 'embedded-mongo';
import type { Reply } from '../support/browser.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';
import { captureLog } from '../support/log.ts';
import { serveUntilTestEnds } from '../support/serve-app.ts';

type CountedSession = session.SessionData & { visits?: number };

/** A visit counter: POST counts a visit (the session changes), GET only reads it. */
function visitCounter(store: MongoSessionStore, maxAge = 60_000) {
  const app = express();
  app.use(session({
    store,
    secret: 'test secret',
    resave: false,
    saveUninitialized: false,
    cookie: { maxAge },
  }));
  app.post('/visits', (req, res) => {
    const counted = req.session as CountedSession;
    counted.visits = (counted.visits ?? 0) + 1;
    res.json(counted.visits);
  });
  app.get('/visits', (req, res) => {
    res.json((req.session as CountedSession).visits ?? 0);
  });
  app.post('/logout', (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.end()));
  });
  return app;
}

/** The counter answered 200 with this count. */
function assertVisits(reply: Reply, visits: string) {
  assert.equal(reply.status, 200);
  assert.equal(reply.text, visits);
}

function listSessions(store: MongoSessionStore) {
  return new Promise<Record<string, CountedSession>>((resolve, reject) => {
    store.all((error, sessions) => (error ? reject(error) : resolve(sessions ?? {})));
  });
}

function readSession(store: MongoSessionStore, sid: string) {
  return new Promise<session.SessionData | null | undefined>((resolve, reject) => {
    store.get(sid, (error, found) => (error ? reject(error) : resolve(found)));
  });
}

/** A port that was free a moment ago, so nothing answers there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

describe('MongoSessionStore against a running database', () => {
  let database: TestDatabase;
  before(async () => {
    database = await startTestDatabase();
  });
  after(() => database.stop());

  /** A store and a direct view of its `sessions` collection, both on a fresh database. */
  async function openStore(t: TestContext, options: Partial<MongoSessionStoreOptions> = {}, maxAge?: number) {
    const uri = options.uri ?? database.uri('sessions');
    const store = new MongoSessionStore({ ...options, uri });
    const inspector = await new MongoClient(uri).connect();
    t.after(async () => {
      await store.close();
      await inspector.close();
    });
    const sessions = inspector.db().collection<{ _id: string; session: CountedSession; expires: Date }>('sessions');
    return { store, sessions, newBrowser: await serveUntilTestEnds(t, visitCounter(store, maxAge)) };
  }

  test('when a visitor comes back with their cookie, then their session data is there', async (t) => {
    const { newBrowser } = await openStore(t);
    const visitor = newBrowser();
    assertVisits(await visitor.post('/visits', {}), '1');
    assertVisits(await visitor.post('/visits', {}), '2');

    assertVisits(await visitor.get('/visits'), '2');
    assertVisits(await newBrowser().get('/visits'), '0');
  });

  test('when the visitor logs out, then the session is deleted from the collection and the cookie counts for nothing', async (t) => {
    const { newBrowser, sessions } = await openStore(t);
    const visitor = newBrowser();
    assertVisits(await visitor.post('/visits', {}), '1');
    assert.equal(await sessions.countDocuments(), 1);

    assert.equal((await visitor.post('/logout', {})).status, 200);

    assert.equal(await sessions.countDocuments(), 0);
    assertVisits(await visitor.get('/visits'), '0');
  });

  test('when an unchanged session is used again after touchAfterMs, then its expiry in the collection moves forward', async (t) => {
    const { newBrowser, sessions } = await openStore(t, { touchAfterMs: 0 });
    const visitor = newBrowser();
    assertVisits(await visitor.post('/visits', {}), '1');
    const before = await sessions.findOne();
    await sleep(50);

    assertVisits(await visitor.get('/visits'), '1');

    const after = await sessions.findOne();
    assert.ok(before && after);
    assert.ok(after.expires > before.expires, `expires stayed at ${before.expires.toISOString()}`);
    assert.ok(new Date(after.session.cookie.expires!) > new Date(before.session.cookie.expires!));
  });

  test('when an unchanged session is used again within touchAfterMs, then nothing is written', async (t) => {
    const { newBrowser, sessions } = await openStore(t, { touchAfterMs: 60_000 });
    const visitor = newBrowser();
    assertVisits(await visitor.post('/visits', {}), '1');
    const before = await sessions.findOne();
    await sleep(50);

    assertVisits(await visitor.get('/visits'), '1');

    assert.deepEqual(await sessions.findOne(), before);
  });

  test('when an unchanged session is read within touchAfterMs, then the page view costs the database one query and no write', async (t) => {
    const { newBrowser, store } = await openStore(t, { uri: `${database.uri('sessions')}?monitorCommands=true`, touchAfterMs: 60_000 });
    const visitor = newBrowser();
    assertVisits(await visitor.post('/visits', {}), '1');
    const commands: string[] = [];
    store.client.on('commandStarted', ({ commandName }: { commandName: string }) => commands.push(commandName));

    assertVisits(await visitor.get('/visits'), '1');
    assertVisits(await visitor.get('/visits'), '1');

    assert.deepEqual(commands, ['find', 'find']);
  });

  test('when the cookie lives shorter than ten times touchAfterMs, then a tenth of its maxAge is the limit', async (t) => {
    // A 10 s cookie: the limit is 1 s, and a slow machine still has 9 s before the session expires.
    const { newBrowser, sessions } = await openStore(t, { touchAfterMs: 60_000 }, 10_000);
    const visitor = newBrowser();
    assertVisits(await visitor.post('/visits', {}), '1');
    const before = await sessions.findOne();
    await sleep(1_100);

    assertVisits(await visitor.get('/visits'), '1');

    const after = await sessions.findOne();
    assert.ok(before && after);
    assert.ok(after.expires > before.expires, `expires stayed at ${before.expires.toISOString()}`);
  });

  test('when a stale copy of a session is touched, then only the expiry moves and the stored data stays', async (t) => {
    const { newBrowser, store, sessions } = await openStore(t);
    const visitor = newBrowser();
    assertVisits(await visitor.post('/visits', {}), '1');
    const stored = await sessions.findOne();
    assert.ok(stored);

    const later = new Date(Date.now() + 120_000);
    const stale: CountedSession = { ...stored.session, cookie: { ...stored.session.cookie, expires: later }, visits: 99 };
    await new Promise<void>((resolve, reject) => {
      store.touch(stored._id, stale, (error) => (error ? reject(error) : resolve()));
    });

    const touched = await sessions.findOne();
    assert.deepEqual(touched?.expires, later);
    assertVisits(await visitor.get('/visits'), '1');
  });

  test('when sessions are listed, then every live session is returned under its id', async (t) => {
    const { newBrowser, store, sessions } = await openStore(t);
    assertVisits(await newBrowser().post('/visits', {}), '1');
    const regular = newBrowser();
    assertVisits(await regular.post('/visits', {}), '1');
    assertVisits(await regular.post('/visits', {}), '2');

    const listed = await listSessions(store);

    const ids = (await sessions.find().toArray()).map((stored) => stored._id);
    assert.deepEqual(Object.keys(listed).sort(), ids.sort());
    assert.deepEqual(Object.values(listed).map((found) => found.visits).sort(), [1, 2]);
  });
});

describe('MongoSessionStore when the database is unreachable', () => {
  const waitLimitMs = 300;

  async function openUnreachableStore(t: TestContext) {
    const port = await closedPort();
    // Chosen now, so the URI holds them before the server that will check them exists.
    const credentials = generateCredentials();
    const logged = captureLog('warn');
    t.after(() => logged.stop());
    const store = new MongoSessionStore({
      uri: `${connectionString(credentials, '127.0.0.1', port)}sessions_unreachable`,
      serverSelectionTimeoutMS: waitLimitMs,
    });
    t.after(() => store.close());
    return { port, credentials, store, logged };
  }

  test('when the database is down at start, then the process keeps running, the failure is logged and reads fail within the wait limit', async (t) => {
    const { store, logged } = await openUnreachableStore(t);
    const started = Date.now();

    await assert.rejects(readSession(store, 'some-session-id'), SessionStoreError);

    assert.ok(Date.now() - started < waitLimitMs * 10, `waited ${Date.now() - started} ms`);
    const messages = logged.messages();
    assert.ok(messages.some((message) => message.startsWith('Database unreachable')), messages.join('\n'));
  });

  test('when the database comes up after a failed start, then sessions work without restarting the store', async (t) => {
    const { port, credentials, store } = await openUnreachableStore(t);
    await assert.rejects(readSession(store, 'some-session-id'), SessionStoreError);

    const server = await startEmbeddedMongo({ port, credentials });
    t.after(() => server.stop());

    const visitor = (await serveUntilTestEnds(t, visitCounter(store)))();
    assertVisits(await visitor.post('/visits', {}), '1');
    assertVisits(await visitor.get('/visits'), '1');
  });
});
