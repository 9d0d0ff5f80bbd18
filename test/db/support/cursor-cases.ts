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
