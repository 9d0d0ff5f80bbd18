import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/index.ts';
import { waitUntil } from '../testing/wait-until.ts';

// Runs against the embedded server only: it needs a TTL pass every few milliseconds, not MongoDB's minute.

describe('embedded server TTL indexes', () => {
  let server: EmbeddedMongo;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    server = await startEmbeddedMongo({ ttlIntervalMs: 50 });
    client = await new MongoClient(`${server.uri}ttl`).connect();
    db = client.db();
  });

  after(async () => {
    await client?.close();
    await server?.stop();
  });

  it('when documents pass their expiry, then the TTL pass deletes them and leaves the rest', async () => {
    const sessions = db.collection('sessions');
    await sessions.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
    const minute = 60_000;
    await sessions.insertMany([
      { name: 'past', expires: new Date(Date.now() - minute) },
      { name: 'future', expires: new Date(Date.now() + minute) },
      { name: 'array with one past date', expires: [new Date(Date.now() + minute), new Date(Date.now() - minute)] },
      { name: 'a string is not a date', expires: '2000-01-01T00:00:00Z' },
      { name: 'no expiry' },
    ]);

    await waitUntil('expired sessions are gone', async () => (await sessions.countDocuments()) === 3, { timeoutMs: 5_000, intervalMs: 50 });
    const left = (await sessions.find().sort({ name: 1 }).toArray()).map((doc) => doc.name);
    assert.deepEqual(left, ['a string is not a date', 'future', 'no expiry']);
  });

  it('when an index has expireAfterSeconds, then a document expires that long after its date', async () => {
    const carts = db.collection('carts');
    await carts.createIndex({ updatedAt: 1 }, { expireAfterSeconds: 3600 });
    await carts.insertMany([
      { name: 'half an hour old', updatedAt: new Date(Date.now() - 30 * 60_000) },
      { name: 'two hours old', updatedAt: new Date(Date.now() - 120 * 60_000) },
    ]);

    await waitUntil('the old cart is gone', async () => (await carts.countDocuments()) === 1, { timeoutMs: 5_000, intervalMs: 50 });
    assert.equal((await carts.findOne())?.name, 'half an hour old');
  });
});
