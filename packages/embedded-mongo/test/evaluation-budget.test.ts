import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, MongoServerError, type Db, type Document } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/index.ts';

// S31: the attacks that held the database thread, each through the real driver over TCP. They are
// about the embedded server's own limits, so they always run it (never MONGODB_URI).

const CEILING_MS = 1_000; // the server's maxTimeMS ceiling in these tests: the default (10 s) would only make them slower
const MARGIN_MS = 3_000; // a shared 2-core machine: scheduling, the driver, the reply (without the limits, each of these runs for seconds or never ends)

/** What a promise came to, and how long it took; 'still running' if it had not settled within `limitMs`. */
async function outcome(promise: Promise<unknown>, limitMs: number): Promise<{ error?: MongoServerError; value?: unknown; ms: number }> {
  const start = Date.now();
  const settled = await Promise.race([
    promise.then((value) => ({ value }), (error: unknown) => ({ error })),
    sleep(limitMs).then(() => ({ value: 'still running' })),
  ]);
  if ('error' in settled && !(settled.error instanceof MongoServerError)) throw settled.error;
  return { ...(settled as { error?: MongoServerError; value?: unknown }), ms: Date.now() - start };
}

/** `$lookup` in `$lookup` in ...: with 30 documents and 6 levels, 30^6 joined documents to build. */
function nestedLookups(from: string): Document[] {
  let pipeline: Document[] = [];
  for (let level = 0; level < 6; level++) pipeline = [{ $lookup: { from, pipeline, as: 'joined' } }];
  return pipeline;
}

describe('evaluation stays within its budget, through the real driver', () => {
  let server: EmbeddedMongo;
  let attacker: MongoClient;
  let shopper: MongoClient;
  let db: Db;
  /** A simple query from another client, as the shop sends while an attack runs. */
  const simpleQuery = () => shopper.db(db.databaseName).collection('products').findOne({ name: 'tea' });

  before(async () => {
    server = await startEmbeddedMongo({ port: 0, maxTimeMS: CEILING_MS });
    attacker = await new MongoClient(server.uri).connect();
    shopper = await new MongoClient(server.uri).connect();
    db = attacker.db('budget');
    await db.collection('products').insertOne({ name: 'tea' });
    await db.collection('strings').insertMany([{ s: `${'a'.repeat(30)}!` }, { s: 'aaaa' }, { s: 'b1c22' }]);
    await db.collection('joins').insertMany(Array.from({ length: 30 }, (_, n) => ({ n })));
  });

  after(async () => {
    await Promise.all([attacker.close(), shopper.close()]);
    await server.stop();
  });

  test('when $regexMatch uses a lookahead, then it is refused at once with BadValue, and another client is answered meanwhile', { timeout: 30_000 }, async () => {
    // A backtracking engine takes about 8 s on the 31 characters, twice that for each one more.
    const attack = db.collection('strings').aggregate([{ $project: { m: { $regexMatch: { input: '$s', regex: '^(?!z)(a+)+$' } } } }]).toArray();
    const [refused, other] = await Promise.all([outcome(attack, CEILING_MS + MARGIN_MS), outcome(simpleQuery(), CEILING_MS + MARGIN_MS)]);

    assert.equal(refused.error?.code, 2, `expected BadValue, got ${JSON.stringify(refused)}`);
    assert.match(refused.error.message, /linear time/);
    assert.equal((other.value as Document | undefined)?.name, 'tea');
  });

  test('when the aggregation regex operators run, then they match as MongoDB does, on the linear engine', { timeout: 30_000 }, async () => {
    const query = db
      .collection('strings')
      .aggregate([
        { $match: { s: 'b1c22' } },
        {
          $project: {
            _id: 0,
            match: { $regexMatch: { input: '$s', regex: '^(a+)+$' } },
            first: { $regexFind: { input: '$s', regex: /([a-z])(\d+)/ } },
            all: { $regexFindAll: { input: '$s', regex: 'C(\\d)', options: 'i' } },
            // mingo's own never ended on a pattern that matches the empty string
            empty: { $size: { $regexFindAll: { input: '$s', regex: '' } } },
          },
        },
      ])
      .toArray();
    const { value } = await outcome(query, CEILING_MS + MARGIN_MS);

    assert.deepEqual(value, [
      {
        match: false,
        first: { match: 'b1', idx: 0, captures: ['b', '1'] },
        all: [{ match: 'c2', idx: 2, captures: ['2'] }],
        empty: 6, // before the first character, between each two, after the last
      },
    ]);
  });

  test('when $and is nested 2,000 deep, then it is refused at once with Overflow (15), as mongod refuses it', { timeout: 30_000 }, async () => {
    const nest = (depth: number) => {
      let filter: Document = { name: 'tea' };
      for (let level = 0; level < depth; level++) filter = { $and: [filter] };
      return filter;
    };
    const attack = db.collection('products').find(nest(2_000)).toArray();
    const [refused, other] = await Promise.all([outcome(attack, CEILING_MS + MARGIN_MS), outcome(simpleQuery(), CEILING_MS + MARGIN_MS)]);

    assert.equal(refused.error?.code, 15, `expected Overflow, got ${JSON.stringify(refused)}`);
    assert.equal((other.value as Document | undefined)?.name, 'tea');
    assert.equal((await db.collection('products').find(nest(90)).toArray()).length, 1, 'within 200 BSON levels it still answers');
  });

  test('when nested $lookups ask for maxTimeMS 2^31-1, or none, then they end at the ceiling with MaxTimeMSExpired, and another client is answered right after', { timeout: 30_000 }, async () => {
    for (const options of [{ maxTimeMS: 2 ** 31 - 1 }, {}]) {
      const attack = db.collection('joins').aggregate(nestedLookups('joins'), options).toArray();
      await sleep(50); // the attack holds the thread first
      const [expired, other] = await Promise.all([outcome(attack, CEILING_MS + MARGIN_MS), outcome(simpleQuery(), CEILING_MS + MARGIN_MS)]);

      assert.equal(expired.error?.code, 50, `expected MaxTimeMSExpired with ${JSON.stringify(options)}, got ${JSON.stringify(expired)}`);
      assert.equal((other.value as Document | undefined)?.name, 'tea');
    }
  });
});

describe('stopping the embedded server during a long command', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'evaluation-budget-'));
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('when a command holds the thread, then stop ends it within the grace, and a restart finds every acknowledged write', { timeout: 60_000 }, async () => {
    // A ceiling far longer than the grace: the command is still running when stop gives up waiting.
    const server = await startEmbeddedMongo({ port: 0, dataDir, maxTimeMS: 60_000, stopGraceMs: 1_000 });
    const client = await new MongoClient(server.uri).connect();
    const joins = client.db('shop').collection('joins');
    await joins.insertMany(Array.from({ length: 30 }, (_, n) => ({ n })));
    const attack = joins.aggregate(nestedLookups('joins')).toArray().catch(() => 'ended');
    await sleep(300);

    const stopped = await outcome(server.stop(), 1_000 + MARGIN_MS);
    assert.notEqual(stopped.value, 'still running', 'stop waited for the command');
    await client.close(true);
    await attack;

    const restarted = await startEmbeddedMongo({ port: 0, dataDir });
    const again = await new MongoClient(restarted.uri).connect();
    try {
      assert.equal(await again.db('shop').collection('joins').countDocuments(), 30);
    } finally {
      await again.close();
      await restarted.stop();
    }
  });
});
