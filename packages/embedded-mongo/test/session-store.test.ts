import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import express from 'express';
import session from 'express-session';
import { startTestDatabase, type TestDatabase } from '../testing/database.ts';
import { openMongoSessionStore, type MongoSessionStore } from './support/raw-session-store.ts';
import { waitUntil } from './support/wait-until.ts';

// A real MongoDB's TTL monitor runs once a minute; the embedded one is told to run often.
const TTL_WAIT_MS = 90_000;

describe('connect-mongodb-session 5 with express-session over TCP', () => {
  let database: TestDatabase;
  let store: MongoSessionStore;
  let storeApi: {
    get(sid: string): Promise<session.SessionData | null | undefined>;
    set(sid: string, data: session.SessionData): Promise<void>;
    destroy(sid: string): Promise<void>;
  };

  before(async () => {
    database = await startTestDatabase({ ttlIntervalMs: 200 });
    store = await openMongoSessionStore(database.uri('sessions'));
    storeApi = {
      get: promisify(store.get.bind(store)),
      set: promisify(store.set.bind(store)),
      destroy: promisify(store.destroy.bind(store)),
    };
  });

  after(async () => {
    await store?.collection.drop();
    await store?.client.close();
    await database?.stop();
  });

  /** A logged-in shopper's session, as the app stores it, whose cookie expires after `cookieMaxAgeMs`. */
  function sessionData(cookieMaxAgeMs: number, userId: string): session.SessionData {
    const expires = new Date(Date.now() + cookieMaxAgeMs);
    return {
      cookie: { originalMaxAge: cookieMaxAgeMs, expires, httpOnly: true, path: '/' },
      isLoggedIn: true,
      userId,
      flash: [],
    };
  }

  it('when a session is set, then get returns its data and the cookie expiry, and it is stored under its id', async () => {
    const data = sessionData(60_000, 'u-1');

    await storeApi.set('sid-set-get', data);
    const loaded = await storeApi.get('sid-set-get');
    const stored = await store.collection.findOne({ _id: 'sid-set-get' });

    assert.equal(loaded?.userId, 'u-1');
    assert.equal(loaded?.isLoggedIn, true);
    assert.equal(loaded?.cookie.expires?.getTime(), data.cookie.expires?.getTime());
    assert.equal(stored?.expires.getTime(), data.cookie.expires?.getTime());
  });

  it('when a session is set again, then get returns the new data and there is still one document for it', async () => {
    await storeApi.set('sid-overwrite', sessionData(60_000, 'u-before'));
    await storeApi.set('sid-overwrite', sessionData(60_000, 'u-after'));

    const loaded = await storeApi.get('sid-overwrite');

    assert.equal(loaded?.userId, 'u-after');
    assert.equal(await store.collection.countDocuments({ _id: 'sid-overwrite' }), 1);
  });

  it('when an unknown session id is read, then get returns nothing', async () => {
    assert.equal(await storeApi.get('sid-never-set'), undefined);
  });

  it('when a session is destroyed, then get returns nothing and its document is gone', async () => {
    await storeApi.set('sid-destroy', sessionData(60_000, 'u-2'));

    await storeApi.destroy('sid-destroy');

    assert.equal(await storeApi.get('sid-destroy'), undefined);
    assert.equal(await store.collection.countDocuments({ _id: 'sid-destroy' }), 0);
  });

  it('when the store connects, then the sessions collection has a TTL index on expires', async () => {
    const indexes = await store.collection.listIndexes().toArray();

    const ttl = indexes.find((index) => index.key.expires === 1);
    assert.equal(ttl?.expireAfterSeconds, 0);
  });

  it('when a session expires, then the TTL pass removes its document while unexpired sessions stay', { timeout: TTL_WAIT_MS + 10_000 }, async () => {
    await storeApi.set('sid-long-lived', sessionData(3_600_000, 'u-3'));
    await storeApi.set('sid-short-lived', sessionData(1_500, 'u-4'));
    // Stored while still valid, so its later disappearance is the TTL pass at work.
    assert.equal(await store.collection.countDocuments({ _id: 'sid-short-lived' }), 1);

    await waitUntil(
      'the expired session is removed',
      async () => (await store.collection.countDocuments({ _id: 'sid-short-lived' })) === 0,
      { timeoutMs: TTL_WAIT_MS, intervalMs: 250 },
    );

    assert.equal(await store.collection.countDocuments({ _id: 'sid-long-lived' }), 1);
  });

  it('when a browser makes two requests with the session cookie, then the second sees what the first stored', async (t) => {
    const app = express();
    app.use(session({ secret: 'test only', resave: false, saveUninitialized: false, store }));
    app.post('/visits', (req, res) => {
      const visitor = req.session as session.Session & { visits?: number };
      visitor.visits = (visitor.visits ?? 0) + 1;
      res.json({ visits: visitor.visits });
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/visits`;

    const first = await fetch(url, { method: 'POST' });
    const sessionCookie = first.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!).find((pair) => pair.startsWith('connect.sid='));
    const second = await fetch(url, { method: 'POST', headers: { cookie: sessionCookie ?? '' } });

    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.ok(sessionCookie, 'the first reply sets connect.sid');
    assert.deepEqual(await first.json(), { visits: 1 });
    assert.deepEqual(await second.json(), { visits: 2 });
    assert.equal(await store.collection.countDocuments({ 'session.visits': 2 }), 1);
  });
});
