import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/index.ts';
import { startTestDatabase, type TestDatabase } from '../testing/database.ts';

const CATASTROPHIC = '^(a+)+$';
const ALMOST_MATCHING = `${'a'.repeat(30)}!`; // 31 characters: about 8 s per document for a backtracking engine

describe('query time limits, through the real driver', () => {
  let database: TestDatabase;
  let clients: MongoClient[];
  let db: Db;

  before(async () => {
    database = await startTestDatabase();
    const uri = database.uri('time_limit');
    clients = await Promise.all([1, 2].map(() => new MongoClient(uri).connect()));
    db = clients[0]!.db();
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await database.stop();
  });

  test('when a find uses a catastrophically backtracking regex, then it answers at once, and so does another client', { timeout: 30_000 }, async () => {
    const strings = db.collection('strings');
    await strings.insertMany([...Array.from({ length: 20 }, () => ({ s: ALMOST_MATCHING })), { s: 'aaaa' }]);

    const [found, other] = await Promise.all([
      strings.find({ s: { $regex: CATASTROPHIC } }, { projection: { _id: 0 } }).toArray(),
      clients[1]!.db(db.databaseName).collection('strings').countDocuments({ s: 'aaaa' }),
    ]);

    assert.deepEqual(found, [{ s: 'aaaa' }]);
    assert.equal(other, 1);
  });

  test('when the regex is case-insensitive or a BSON regular expression, then it is still matched', { timeout: 30_000 }, async () => {
    const strings = db.collection('strings_flags');
    await strings.insertMany([{ s: 'Alice' }, { s: 'ALICE\nbob' }, { s: 'carol' }]);

    const names = async (filter: object) => (await strings.find(filter).toArray()).map((doc) => doc.s as string).sort();

    assert.deepEqual(await names({ s: { $regex: '^alice$', $options: 'i' } }), ['Alice']);
    assert.deepEqual(await names({ s: { $regex: '^bob$', $options: 'im' } }), ['ALICE\nbob']);
    assert.deepEqual(await names({ s: /^(a+)+$|^CAROL$/i }), ['carol']);
    assert.deepEqual(await names({ s: { $not: /^a/i } }), ['carol']);
    assert.deepEqual(await names({ s: { $in: [/^c/, 'Alice'] } }), ['Alice', 'carol']);
  });

  test('when maxTimeMS is shorter than a query needs, then it fails with MaxTimeMSExpired (50)', { timeout: 60_000 }, async () => {
    const many = db.collection('many');
    await many.insertMany(Array.from({ length: 20_000 }, (_, n) => ({ n, s: `item ${n}`, tags: [n % 7, n % 11] })));
    const slowFilter = { $or: [{ s: { $regex: 'nothing$' } }, { tags: { $all: [3, 5, 100] } }] };

    const error = await many.find(slowFilter).maxTimeMS(1).toArray().then(() => undefined, (caught: unknown) => caught);

    assert.ok(error instanceof MongoServerError, `expected a server error, got ${String(error)}`);
    assert.deepEqual([error.code, error.codeName], [50, 'MaxTimeMSExpired']);
    assert.deepEqual(await many.find(slowFilter).maxTimeMS(60_000).toArray(), [], 'with enough time the same query answers');
  });
});

// The event loop of the process that starts the embedded server is the shop's: it must stay free.
describe('embedded server thread', () => {
  let server: EmbeddedMongo;
  let client: MongoClient;

  before(async () => {
    server = await startEmbeddedMongo({ port: 0 });
    client = await new MongoClient(server.uri).connect();
  });

  after(async () => {
    await client.close();
    await server.stop();
  });

  test('when a query keeps the database busy, then an HTTP server in this process still answers meanwhile', { timeout: 60_000 }, async () => {
    const texts = client.db('thread').collection('texts');
    await texts.insertMany(Array.from({ length: 20 }, () => ({ s: `${'a'.repeat(100_000)}!` })));
    const http = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;

    const answered: string[] = [];
    const query = texts.find({ s: { $regex: CATASTROPHIC } }).toArray().finally(() => answered.push('database'));
    await sleep(20);
    const page = fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.text()).finally(() => answered.push('http'));

    assert.deepEqual(await Promise.all([query, page]), [[], 'ok']);
    http.close();
    assert.deepEqual(answered, ['http', 'database'], 'the page was answered while the query still ran');
  });
});
