import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DriverFixture } from './driver-fixture.ts';

const ONE_MIB_OF_TEXT = 'x'.repeat(1024 * 1024);

interface BigImage {
  n: number;
  payload: string;
}

/** Results larger than one reply: the driver must page through them with getMore. */
export function cursorCases(fixture: DriverFixture): void {
  it('when 1,000 documents are read in batches of 100, then all arrive in order over several getMore round trips', async () => {
    const events = fixture.db.collection<{ n: number }>('many_events');
    await events.insertMany(Array.from({ length: 1000 }, (_, n) => ({ n })));

    let read: number[] = [];
    const commands = await fixture.commandsDuring(async () => {
      const docs = await events.find({}, { batchSize: 100, sort: { n: 1 } }).toArray();
      read = docs.map((doc) => doc.n);
    });

    assert.deepEqual(read, Array.from({ length: 1000 }, (_, n) => n));
    assert.ok(commands.filter((name) => name === 'getMore').length >= 9, `commands sent: ${commands.join(', ')}`);
  });

  it('when a cursor is closed early, then the rest of the documents stay untouched and the next query works', async () => {
    const events = fixture.db.collection('abandoned_cursor_events');
    await events.insertMany(Array.from({ length: 300 }, (_, n) => ({ n })));

    const cursor = events.find({}, { batchSize: 50, sort: { n: 1 } });
    const firstTwo = [await cursor.next(), await cursor.next()].map((doc) => doc?.n);
    await cursor.close();

    assert.deepEqual(firstTwo, [0, 1]);
    assert.equal(await events.countDocuments(), 300);
  });

  it('when another client sends getMore or killCursors for a cursor it did not open, then it is refused and the owner reads on', async () => {
    const events = fixture.db.collection<{ n: number }>('owned_cursor_events');
    await events.insertMany(Array.from({ length: 10 }, (_, n) => ({ n })));
    const cursor = events.find({}, { batchSize: 2, sort: { n: 1 } });
    const first = await cursor.next();
    const other = await fixture.connectAnother();
    let refusal: unknown;
    try {
      const otherDb = other.db(fixture.db.databaseName);
      refusal = await otherDb.command({ getMore: cursor.id!, collection: 'owned_cursor_events' }).then(() => undefined, (error: unknown) => error);
      await otherDb.command({ killCursors: 'owned_cursor_events', cursors: [cursor.id!] }).catch(() => undefined);
    } finally {
      await other.close();
    }

    // The embedded server answers CursorNotFound (43); MongoDB refuses a getMore from another session with 50737.
    assert.ok([43, 50737].includes((refusal as { code?: number } | undefined)?.code ?? 0), `getMore from another client: ${String(refusal)}`);
    assert.deepEqual([first?.n, ...(await cursor.toArray()).map((doc) => doc.n)], Array.from({ length: 10 }, (_, n) => n));
  });

  it('when two cursors are opened, then their ids are non-zero and far apart, not a sequence', async () => {
    const events = fixture.db.collection('cursor_id_events');
    await events.insertMany(Array.from({ length: 6 }, (_, n) => ({ n })));
    const cursors = [events.find({}, { batchSize: 2 }), events.find({}, { batchSize: 2 })];
    await Promise.all(cursors.map((cursor) => cursor.next()));

    const [a = 0n, b = 0n] = cursors.map((cursor) => BigInt(cursor.id!.toString()));
    await Promise.all(cursors.map((cursor) => cursor.close()));

    assert.ok(a !== 0n && b !== 0n && a > 0n && b > 0n, `ids ${a} and ${b}`);
    const gap = a > b ? a - b : b - a;
    assert.ok(gap > 1_000_000n, `ids ${a} and ${b} look sequential`);
  });

  it('when documents of 1 MiB add up to more than 16 MiB, then the reply is split and every document arrives whole', async () => {
    const images = fixture.db.collection<BigImage>('big_images');
    // Inserted in two calls so no single request nears the 48 MB message limit.
    const docs = Array.from({ length: 20 }, (_, n) => ({ n, payload: `${n}:${ONE_MIB_OF_TEXT}` }));
    await images.insertMany(docs.slice(0, 10));
    await images.insertMany(docs.slice(10));

    let read: BigImage[] = [];
    const commands = await fixture.commandsDuring(async () => {
      read = await images.find({}, { sort: { n: 1 } }).toArray();
    });

    assert.equal(read.length, 20);
    read.forEach((doc, n) => {
      assert.equal(doc.n, n);
      assert.equal(doc.payload, `${n}:${ONE_MIB_OF_TEXT}`);
    });
    assert.ok(commands.includes('getMore'), `commands sent: ${commands.join(', ')}`);
  });
}
