import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type session from 'express-session';
import { MongoSessionStore } from '../../sessions/mongo-store.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';
import { waitUntil } from 'embedded-mongo/testing';

// A real MongoDB's TTL monitor runs once a minute; the embedded one is told to run often.
const TTL_WAIT_MS = 90_000;

// The shop's session store (connect-mongodb-session 5 with its gaps closed) as the shop builds it,
// against the test database. How the shop's pages use it is in test/app/mongo-session-store.test.ts.
describe('the shop\'s MongoDB session store over TCP', () => {
  let database: TestDatabase;
  let store: MongoSessionStore;
  let storeApi: {
    get(sid: string): Promise<session.SessionData | null | undefined>;
    set(sid: string, data: session.SessionData): Promise<void>;
    destroy(sid: string): Promise<void>;
  };

  before(async () => {
    database = await startTestDatabase({ ttlIntervalMs: 200 });
    store = new MongoSessionStore({ uri: database.uri('sessions') });
    storeApi = {
      get: promisify(store.get.bind(store)),
      set: promisify(store.set.bind(store)),
      destroy: promisify(store.destroy.bind(store)),
    };
    // Every operation waits for the connection and the indexes; this one makes the index test's wait.
    await storeApi.get('sid-first-read');
  });

  after(async () => {
    await store?.collection.drop();
    await store?.close();
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
    // Handed back as JSON, as express-session's MemoryStore does: the expiry is its ISO string.
    assert.equal(loaded?.cookie.expires, data.cookie.expires?.toISOString());
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
    assert.equal(await storeApi.get('sid-never-set'), null);
  });

  it('when a session is destroyed, then get returns nothing and its document is gone', async () => {
    await storeApi.set('sid-destroy', sessionData(60_000, 'u-2'));

    await storeApi.destroy('sid-destroy');

    assert.equal(await storeApi.get('sid-destroy'), null);
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
});
