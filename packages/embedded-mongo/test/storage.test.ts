import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, chmod, copyFile, mkdtemp, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { BSON, Binary, Decimal128, Long, ObjectId, type Document } from 'bson';
import { DiskStorage, type CollectionDump, type JournalEntry } from '../src/storage.ts';
import { setLogger } from '../src/log.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storage-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = (coll: string, doc: Document, db = 'shop'): JournalEntry => ({ op: 'put', db, coll, doc });
const del = (coll: string, id: unknown, db = 'shop'): JournalEntry => ({ op: 'del', db, coll, id });
const create = (coll: string, db = 'shop'): JournalEntry => ({ op: 'createCollection', db, coll, options: {} });

async function reopen(): Promise<CollectionDump[]> {
  const { storage, collections } = await DiskStorage.open(dir);
  await storage.close();
  return collections;
}

async function writeAndClose(batches: JournalEntry[][]): Promise<void> {
  const { storage } = await DiskStorage.open(dir);
  for (const entries of batches) await storage.append(entries);
  await storage.close();
}

function documentsOf(collections: CollectionDump[], coll: string, db = 'shop'): Document[] {
  return collections.find((c) => c.db === db && c.name === coll)?.documents ?? [];
}

/** Permission bits of the directory and of each file in it, by name. */
async function modes(): Promise<Record<string, string>> {
  const found: Record<string, string> = { '.': ((await stat(dir)).mode & 0o777).toString(8) };
  for (const name of await readdir(dir)) found[name] = ((await stat(join(dir, name))).mode & 0o777).toString(8);
  return found;
}

async function privateModes(): Promise<Record<string, string>> {
  const names = await readdir(dir);
  return { '.': '700', ...Object.fromEntries(names.map((name) => [name, '600'])) };
}

const journalFile = async () => {
  const journals = (await readdir(dir)).filter((name) => name.startsWith('journal-'));
  assert.equal(journals.length, 1, `expected one journal, found ${journals.join(', ')}`);
  return join(dir, journals[0]!);
};

/** Runs `action` and returns the torn-journal warnings it logged. */
async function tornJournalWarnings(action: () => Promise<void>): Promise<string[]> {
  const messages: string[] = [];
  const keep = (message: string) => void messages.push(message);
  const previous = setLogger({ error: keep, warn: keep, info: () => {}, debug: () => {} });
  try {
    await action();
  } finally {
    setLogger(previous);
  }
  return messages.filter((message) => message.includes('journal'));
}

describe('DiskStorage round trip', () => {
  test('when every kind of entry is journaled, then reopening rebuilds the same collections', async () => {
    const id = new ObjectId();
    const rich = {
      _id: id,
      when: new Date('2024-05-06T07:08:09.010Z'),
      bytes: new Binary(Buffer.from([0, 1, 2, 255]), 4),
      big: Long.fromString('9007199254740993'),
      price: Decimal128.fromString('19.99'),
      nested: { list: [1, 'two', { three: 3 }], empty: {} },
      fraction: 0.5,
      nothing: null,
    };
    const ttl = { v: 2, key: { expires: 1 }, name: 'expires_1', expireAfterSeconds: 0 };
    await writeAndClose([
      [{ op: 'createCollection', db: 'shop', coll: 'products', options: { capped: false } }],
      [put('products', rich), put('products', { _id: 'keep', n: 1 })],
      [{ op: 'createIndex', db: 'shop', coll: 'products', spec: { v: 2, key: { sku: 1 }, name: 'sku_1', unique: true } }],
      [{ op: 'createIndex', db: 'shop', coll: 'sessions', spec: ttl }],
      [put('sessions', { _id: 'sid', expires: new Date(0) })],
      [put('gone', { _id: 1 }), { op: 'dropCollection', db: 'shop', coll: 'gone' }],
      [put('x', { _id: 1 }, 'other'), put('y', { _id: 2 }, 'other'), { op: 'dropDatabase', db: 'other' }],
      [{ op: 'createIndex', db: 'shop', coll: 'products', spec: { v: 2, key: { old: 1 }, name: 'old_1' } }],
      [{ op: 'dropIndex', db: 'shop', coll: 'products', name: 'old_1' }],
    ]);

    const collections = await reopen();
    assert.deepEqual(
      collections.map((c) => `${c.db}.${c.name}`),
      ['shop.products', 'shop.sessions'],
    );
    const products = collections[0]!;
    assert.deepEqual(products.options, { capped: false });
    assert.deepEqual(products.indexes, [{ v: 2, key: { sku: 1 }, name: 'sku_1', unique: true }]);
    assert.deepEqual(products.documents, [rich, { _id: 'keep', n: 1 }]);
    const restored: Document = products.documents[0]!;
    assert.ok(restored._id instanceof ObjectId && restored._id.equals(id));
    assert.ok(restored.when instanceof Date);
    assert.ok(restored.big instanceof Long && restored.big.toString() === '9007199254740993');
    assert.equal(restored.bytes.sub_type, 4);
    assert.deepEqual(collections[1]!.indexes, [ttl]);
  });

  test('when a document is replaced or deleted, then replay applies the entries in order', async () => {
    const id = new ObjectId();
    await writeAndClose([
      [create('carts')],
      [put('carts', { _id: id, items: [] })],
      [put('carts', { _id: 'other', items: ['a'] })],
      [put('carts', { _id: id, items: ['book'] })],
      [del('carts', 'other')],
      [put('carts', { _id: 'other', items: ['b'] })],
      [del('carts', new ObjectId())],
      [put('carts', { _id: id, items: ['book', 'pen'] })],
      [del('carts', 'missing'), del('nowhere', 'x')],
    ]);
    assert.deepEqual(documentsOf(await reopen(), 'carts'), [
      { _id: id, items: ['book', 'pen'] },
      { _id: 'other', items: ['b'] },
    ]);
  });

  test('when _id values differ only in type, then they stay different documents', async () => {
    await writeAndClose([[put('c', { _id: 1, v: 'number' }), put('c', { _id: '1', v: 'string' })], [del('c', '1')]]);
    assert.deepEqual(documentsOf(await reopen(), 'c'), [{ _id: 1, v: 'number' }]);
  });

  test('when a collection is dropped and created again, then only the later documents remain', async () => {
    await writeAndClose([
      [put('orders', { _id: 1 })],
      [{ op: 'dropCollection', db: 'shop', coll: 'orders' }],
      [create('orders'), put('orders', { _id: 2 })],
    ]);
    assert.deepEqual(documentsOf(await reopen(), 'orders'), [{ _id: 2 }]);
  });

  test('when the directory does not exist, then open creates it and starts empty', async () => {
    dir = join(dir, 'nested', 'data');
    assert.deepEqual(await reopen(), []);
    assert.ok((await stat(dir)).isDirectory());
  });

  test('when a value cannot be stored as BSON, then append rejects and the journal stays usable', async () => {
    const { storage } = await DiskStorage.open(dir);
    const cyclic: Document = { _id: 'loop' };
    cyclic.self = cyclic;
    await assert.rejects(storage.append([put('c', cyclic)]));
    await storage.append([put('c', { _id: 'fine' })]);
    await storage.close();
    assert.deepEqual(documentsOf(await reopen(), 'c'), [{ _id: 'fine' }]);
  });

  test('when the directory is already open, then a second open fails and names it', async () => {
    const { storage } = await DiskStorage.open(dir);
    await assert.rejects(DiskStorage.open(dir), new RegExp(`Data directory ${dir} is in use by process ${process.pid}`));
    await storage.close();
    await reopen();
  });

  test('when a process died holding the directory, then open takes its lock over', async () => {
    await writeAndClose([[put('c', { _id: 1 })]]);
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    await writeFile(join(dir, 'LOCK'), String(pid));
    assert.deepEqual(documentsOf(await reopen(), 'c'), [{ _id: 1 }]);
  });

  test('when a LOCK file names a live process but no server holds the directory, then open succeeds', async () => {
    await writeAndClose([[put('c', { _id: 1 })]]);
    // After a container restart the new server often gets the very PID the old LOCK file names.
    for (const pid of [process.pid, process.ppid]) {
      await writeFile(join(dir, 'LOCK'), String(pid));
      assert.deepEqual(documentsOf(await reopen(), 'c'), [{ _id: 1 }]);
    }
  });

  test('when data is written, then the directory and every file in it are private to the user (0700/0600)', async () => {
    dir = join(dir, 'fresh');
    const { storage } = await DiskStorage.open(dir);
    await storage.append([put('users', { _id: 1, passwordHash: 'secret' })]);
    await storage.compact([]);
    await storage.append([put('users', { _id: 2 })]);

    assert.deepEqual(await modes(), await privateModes());
    await storage.close();
  });

  test('when an existing directory and its files are readable by others, then open makes them private', async () => {
    await writeAndClose([[put('c', { _id: 1 })]]);
    await writeFile(join(dir, 'LOCK'), '1');
    await chmod(dir, 0o755);
    for (const name of await readdir(dir)) await chmod(join(dir, name), 0o644);

    const { storage } = await DiskStorage.open(dir);

    assert.deepEqual(await modes(), await privateModes());
    await storage.close();
  });

  test('when storage is closed, then append rejects with a clear error', async () => {
    const { storage } = await DiskStorage.open(dir);
    await storage.close();
    await assert.rejects(storage.append([put('c', { _id: 1 })]), /closed/);
  });
});

describe('DiskStorage with a torn or damaged journal', () => {
  /** Writes one record per batch and returns the journal size after each. */
  async function journalWithSizes(batches: JournalEntry[][]): Promise<number[]> {
    const { storage } = await DiskStorage.open(dir);
    const sizes: number[] = [];
    for (const entries of batches) {
      await storage.append(entries);
      sizes.push((await stat(await journalFile())).size);
    }
    await storage.close();
    return sizes;
  }

  const threeRecords = [
    [put('c', { _id: 1 })],
    [put('c', { _id: 2 })],
    [put('c', { _id: 3, text: 'x'.repeat(100) }), put('c', { _id: 4 })],
  ];

  for (const [label, cutInLastRecord] of [
    ['inside its length field', 2],
    ['after its header', 8],
    ['in the middle of its first document', 30],
    ['between its two documents', 'second'],
    ['one byte before its end', -1],
  ] as const) {
    test(`when the last record is cut ${label}, then the earlier records load, none of the cut one, with a warning`, async () => {
      const [, second, third] = await journalWithSizes(threeRecords);
      const frameHeaderBytes = 8;
      const cut =
        cutInLastRecord === 'second'
          ? second! + frameHeaderBytes + BSON.calculateObjectSize(threeRecords[2]![0]!)
          : cutInLastRecord < 0
            ? third! + cutInLastRecord
            : second! + cutInLastRecord;
      assert.ok(cut > second! && cut < third!);
      await truncate(await journalFile(), cut);

      let collections: CollectionDump[] = [];
      const warnings = await tornJournalWarnings(async () => {
        collections = await reopen();
      });
      assert.deepEqual(documentsOf(collections, 'c'), [{ _id: 1 }, { _id: 2 }]);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /dropped \d+ bytes/);
      assert.equal((await stat(await journalFile())).size, second, 'the torn tail is truncated away');
    });
  }

  test('when random garbage follows the last record, then every record loads and later appends are clean', async () => {
    const [, second] = await journalWithSizes(threeRecords.slice(0, 2));
    await appendFile(await journalFile(), randomBytes(333));

    const warnings = await tornJournalWarnings(async () => {
      await writeAndClose([[put('c', { _id: 'after' })]]);
    });
    assert.equal(warnings.length, 1);
    assert.ok((await stat(await journalFile())).size > second!);

    let collections: CollectionDump[] = [];
    const warningsAfterTruncation = await tornJournalWarnings(async () => {
      collections = await reopen();
    });
    assert.deepEqual(warningsAfterTruncation, [], 'the truncated journal reads cleanly');
    assert.deepEqual(documentsOf(collections, 'c'), [{ _id: 1 }, { _id: 2 }, { _id: 'after' }]);
  });

  test('when a byte inside the last record flips, then the checksum rejects that record', async () => {
    const [, second, third] = await journalWithSizes(threeRecords);
    const path = await journalFile();
    const bytes = await readFile(path);
    const at = Math.floor((second! + third!) / 2);
    bytes[at] = bytes[at]! ^ 0x20;
    await writeFile(path, bytes);

    let collections: CollectionDump[] = [];
    const warnings = await tornJournalWarnings(async () => {
      collections = await reopen();
    });
    assert.match(warnings[0] ?? '', /checksum/);
    assert.deepEqual(documentsOf(collections, 'c'), [{ _id: 1 }, { _id: 2 }]);
  });

  test('when the journal ends in zeroes, then they are dropped rather than read as empty records', async () => {
    await journalWithSizes(threeRecords.slice(0, 1));
    await appendFile(await journalFile(), Buffer.alloc(4096));
    let collections: CollectionDump[] = [];
    const warnings = await tornJournalWarnings(async () => {
      collections = await reopen();
    });
    assert.equal(warnings.length, 1);
    assert.deepEqual(documentsOf(collections, 'c'), [{ _id: 1 }]);
  });
});

describe('DiskStorage compaction', () => {
  /** What the engine would hold: documents by _id in one collection. */
  function modelDump(model: Map<number, Document>): CollectionDump[] {
    return [{ db: 'shop', name: 'c', options: {}, indexes: [], documents: [...model.values()].map((d) => ({ ...d })) }];
  }

  test('when compaction runs while appends continue, then no acknowledged write is lost', async () => {
    const { storage } = await DiskStorage.open(dir);
    const model = new Map<number, Document>();
    const acknowledged: Promise<void>[] = [];
    const write = (i: number) => {
      const doc = { _id: i % 700, version: i, at: new Date(i) };
      model.set(doc._id, doc);
      acknowledged.push(storage.append([put('c', doc)]));
    };
    const remove = (id: number) => {
      model.delete(id);
      acknowledged.push(storage.append([del('c', id)]));
    };

    const compactions: Promise<void>[] = [];
    for (let i = 0; i < 3000; i++) {
      write(i);
      if (i % 7 === 0) remove((i * 13) % 700);
      if (i % 1000 === 500) compactions.push(storage.compact(modelDump(model)));
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([...acknowledged, ...compactions]);
    assert.ok(storage.journalBytes > 0);
    await storage.close();

    const files = (await readdir(dir)).sort();
    assert.deepEqual(files.map((f) => f.replace(/\d+/, 'N')), ['journal-N.log', 'snapshot-N.bson']);
    const sortById = (docs: Document[]) => [...docs].sort((a, b) => a._id - b._id);
    assert.deepEqual(sortById(documentsOf(await reopen(), 'c')), sortById([...model.values()]));
  });

  test('when reopened after a compaction, then snapshot plus new journal hold everything and compaction repeats', async () => {
    const { storage } = await DiskStorage.open(dir);
    await storage.append([create('c'), put('c', { _id: 1, v: 'old' }), put('c', { _id: 2 })]);
    const before = storage.journalBytes;
    await storage.compact([{ db: 'shop', name: 'c', options: {}, indexes: [], documents: [{ _id: 1, v: 'old' }, { _id: 2 }] }]);
    assert.ok(before > 0);
    assert.equal(storage.journalBytes, 0, 'the journal starts fresh after a snapshot');
    await storage.append([put('c', { _id: 1, v: 'new' }), del('c', 2)]);
    await storage.close();

    const { storage: second, collections } = await DiskStorage.open(dir);
    assert.deepEqual(documentsOf(collections, 'c'), [{ _id: 1, v: 'new' }]);
    assert.ok(second.journalBytes > 0, 'journal bytes since the snapshot are counted after reopening');
    await second.compact(collections);
    await second.append([put('c', { _id: 3 })]);
    await second.close();
    assert.deepEqual(documentsOf(await reopen(), 'c'), [{ _id: 1, v: 'new' }, { _id: 3 }]);
  });

  test('when a crash left files the newest snapshot already covers, then they are ignored and removed', async () => {
    const only = (v: number): CollectionDump[] => [{ db: 'shop', name: 'c', options: {}, indexes: [], documents: [{ _id: 1, v }] }];
    const { storage } = await DiskStorage.open(dir);
    await storage.append([put('c', { _id: 1, v: 1 })]);
    await storage.compact(only(1));
    await copyFile(join(dir, 'snapshot-000000000001.bson'), join(dir, 'old-snapshot'));
    await storage.append([put('c', { _id: 1, v: 2 })]);
    await copyFile(await journalFile(), join(dir, 'old-journal'));
    await storage.append([put('c', { _id: 1, v: 3 })]);
    await storage.compact(only(3));
    await storage.close();
    // As if the crash came after snapshot-2 was renamed into place but before the cleanup.
    await rename(join(dir, 'old-snapshot'), join(dir, 'snapshot-000000000001.bson'));
    await rename(join(dir, 'old-journal'), join(dir, 'journal-000000000001.log'));
    await writeFile(join(dir, 'snapshot-000000000009.bson.tmp'), 'half a snapshot');

    assert.deepEqual(documentsOf(await reopen(), 'c'), [{ _id: 1, v: 3 }]);
    assert.deepEqual((await readdir(dir)).sort(), ['snapshot-000000000002.bson']);
  });

  test('when the snapshot is damaged, then open fails with a message that names the file', async () => {
    const { storage } = await DiskStorage.open(dir);
    await storage.compact([{ db: 'shop', name: 'c', options: {}, indexes: [], documents: [{ _id: 1 }, { _id: 2 }] }]);
    await storage.close();
    const path = join(dir, 'snapshot-000000000001.bson');
    const bytes = await readFile(path);
    await truncate(path, bytes.length - 3);
    await assert.rejects(DiskStorage.open(dir), /snapshot-000000000001\.bson is damaged/);
    await assert.rejects(DiskStorage.open(dir), /is damaged/, 'a failed open leaves the directory unlocked');
  });
});

describe('DiskStorage group commit', () => {
  test('when many appends are made at once, then each resolves durable and all are replayed', async () => {
    const { storage } = await DiskStorage.open(dir);
    const ids = Array.from({ length: 500 }, (_, i) => i);
    await Promise.all(ids.map((i) => storage.append([put('c', { _id: i })])));
    await storage.close();
    assert.deepEqual(documentsOf(await reopen(), 'c').map((doc) => doc._id), ids);
  });
});
