import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MongoClient, ObjectId, type Document } from 'mongodb';
import { startDatabaseCli, type RunningDatabaseCli } from '../testing/cli-process.ts';

// These tests are about the embedded server's own files, so they always run it (never MONGODB_URI).

let dataDir: string;
let server: RunningDatabaseCli | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'durability-test-'));
});
afterEach(async () => {
  await server?.kill('SIGKILL');
  server = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function restart(): Promise<MongoClient> {
  server = await startDatabaseCli({ dataDir });
  return connect();
}

function connect(): Promise<MongoClient> {
  // Fail fast once the server is killed instead of waiting 30 s to select another.
  return new MongoClient(server!.uri, { serverSelectionTimeoutMS: 3000 }).connect();
}

async function newestJournal(): Promise<string> {
  const journals = (await readdir(dataDir)).filter((name) => name.startsWith('journal-')).sort();
  assert.ok(journals.length > 0, 'the server keeps a journal in its data directory');
  return join(dataDir, journals.at(-1)!);
}

interface Item {
  _id: string;
  worker: number;
  version: number;
  tags: number[];
  oid: ObjectId;
  at: Date;
}

/**
 * What a client may find after a crash: the state its last acknowledged write left, or,
 * for a write still unanswered when the server died, either that or the attempted state.
 */
class Expectations {
  private readonly acknowledged = new Map<string, Item | null>();
  private readonly attempted = new Map<string, Item | null>();
  acknowledgedWrites = 0;

  current(id: string): Item | null {
    return this.acknowledged.get(id) ?? null;
  }

  async write(changes: Map<string, Item | null>, send: () => Promise<unknown>): Promise<void> {
    for (const [id, doc] of changes) this.attempted.set(id, doc);
    await send();
    for (const [id, doc] of changes) {
      this.acknowledged.set(id, doc);
      this.attempted.delete(id);
    }
    this.acknowledgedWrites++;
  }

  assertMatches(found: Document[]): void {
    const byId = new Map(found.map((doc) => [doc._id as string, doc]));
    const ids = new Set([...this.acknowledged.keys(), ...this.attempted.keys(), ...byId.keys()]);
    for (const id of ids) {
      const actual = byId.get(id) ?? null;
      const allowed = [this.current(id)];
      if (this.attempted.has(id)) allowed.push(this.attempted.get(id)!);
      assert.ok(
        allowed.some((doc) => isDeepStrictEqual(actual, doc)),
        `document ${id}: found ${JSON.stringify(actual)}, expected one of ${JSON.stringify(allowed)}`,
      );
    }
  }
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

/** One client writing its own documents until the server goes away. */
async function writeUntilKilled(client: MongoClient, worker: number, expect: Expectations): Promise<void> {
  const items = client.db('durability').collection<Item>('items');
  const live: string[] = [];
  let next = 0;
  const fresh = (): Item => ({ _id: `w${worker}-${next++}`, worker, version: 0, tags: [], oid: new ObjectId(), at: new Date() });
  try {
    for (;;) {
      const roll = Math.random();
      if (roll < 0.4 || live.length < 5) {
        const doc = fresh();
        await expect.write(new Map([[doc._id, doc]]), () => items.insertOne(doc));
        live.push(doc._id);
      } else if (roll < 0.5) {
        const docs = Array.from({ length: 5 }, fresh);
        await expect.write(new Map(docs.map((doc) => [doc._id, doc])), () => items.insertMany(docs));
        live.push(...docs.map((doc) => doc._id));
      } else if (roll < 0.8) {
        const id = live[Math.floor(Math.random() * live.length)]!;
        const before = expect.current(id)!;
        const version = before.version + 1;
        const at = new Date();
        const after: Item = { ...before, version, at, tags: [...before.tags, version] };
        await expect.write(new Map([[id, after]]), () =>
          items.updateOne({ _id: id }, { $set: { version, at }, $push: { tags: version } }),
        );
      } else {
        const id = live.splice(Math.floor(Math.random() * live.length), 1)[0]!;
        await expect.write(new Map([[id, null]]), () => items.deleteOne({ _id: id }));
      }
    }
  } catch {
    // The server was killed: this worker's last write may or may not have landed.
  }
}

const numbers = (client: MongoClient) => client.db('durability').collection<{ _id: number; n: number }>('numbers');
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function insertNumbered(client: MongoClient, from: number, to: number): Promise<void> {
  for (let n = from; n < to; n++) await numbers(client).insertOne({ _id: n, n });
}

async function storedNumbers(client: MongoClient): Promise<number[]> {
  return (await numbers(client).find().sort({ _id: 1 }).toArray()).map((doc) => doc.n);
}

describe('embedded server durability across kill -9', () => {
  test('when the server is killed mid-load, then every acknowledged write is there after a restart', { timeout: 60_000 }, async () => {
    const expect = new Expectations();
    server = await startDatabaseCli({ dataDir });
    const clients = await Promise.all(Array.from({ length: 4 }, () => connect()));
    const workers = clients.map((client, worker) => writeUntilKilled(client, worker, expect));

    const deadline = Date.now() + 10_000;
    while (expect.acknowledgedWrites < 3000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await server.kill('SIGKILL');
    await Promise.all(workers);
    await Promise.all(clients.map((client) => client.close()));
    assert.ok(expect.acknowledgedWrites >= 1000, `only ${expect.acknowledgedWrites} writes were acknowledged`);

    const client = await restart();
    const found = await client.db('durability').collection('items').find().toArray();
    assert.ok(found.length > 0);
    expect.assertMatches(found);
    await client.close();
  });

  test('when garbage follows the journal or its last record is cut, then the server starts with the earlier documents', { timeout: 60_000 }, async () => {
    let client = await restart();
    await insertNumbered(client, 0, 50);
    await server!.kill('SIGKILL');
    await client.close();
    await appendFile(await newestJournal(), randomBytes(1000));

    client = await restart();
    assert.deepEqual(await storedNumbers(client), range(0, 50));
    assert.match(server!.output(), /dropped 1000 bytes/);
    await insertNumbered(client, 50, 60);
    await server!.kill('SIGKILL');
    await client.close();
    const journal = await newestJournal();
    await truncate(journal, (await stat(journal)).size - 3);

    client = await restart();
    assert.deepEqual(await storedNumbers(client), range(0, 59), 'only the cut record, the last insert, is lost');
    await insertNumbered(client, 59, 61);
    await server!.kill('SIGKILL');
    await client.close();

    client = await restart();
    assert.deepEqual(await storedNumbers(client), range(0, 61), 'writes after the repair are durable too');
    await client.close();
  });

  test('when a clean stop wrote a snapshot and a later crash cut the journal after it, then both are loaded', { timeout: 60_000 }, async () => {
    let client = await restart();
    await insertNumbered(client, 0, 30);
    await client.close();
    await server!.kill('SIGTERM');
    assert.ok((await readdir(dataDir)).some((name) => name.startsWith('snapshot-')), 'a clean stop leaves a snapshot');

    client = await restart();
    await insertNumbered(client, 30, 40);
    await numbers(client).deleteOne({ _id: 5 });
    await numbers(client).updateOne({ _id: 6 }, { $set: { n: 600 } });
    await server!.kill('SIGKILL');
    await client.close();

    client = await restart();
    const expected = range(0, 40).filter((n) => n !== 5).map((n) => (n === 6 ? 600 : n));
    assert.deepEqual(await storedNumbers(client), expected);
    await client.close();
  });
});
