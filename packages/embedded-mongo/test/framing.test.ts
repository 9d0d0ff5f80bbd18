import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BrokenStream, MessageFramer } from '../src/wire.ts';
import { SeededRandom } from '../testing/seeded-random.ts';
import { opMsg } from './support/wire-frames.ts';

const SEED = 20_261_130;
const ROUNDS = 200;

/** Feeds `stream` to a framer in chunks cut at random points (1 byte up to several messages long). */
function frameInRandomChunks(stream: Buffer, random: SeededRandom): Buffer[] {
  const framer = new MessageFramer();
  const messages: Buffer[] = [];
  for (let at = 0; at < stream.length; ) {
    const size = random.chance(0.3) ? random.between(1, 5) : random.between(1, 3000);
    messages.push(...framer.push(stream.subarray(at, at + size)));
    at += size;
  }
  assert.equal(framer.pendingBytes, 0, 'nothing is left over after the last whole message');
  return messages;
}

describe('MessageFramer', () => {
  test('when messages arrive split and merged at random points, then each comes out whole, in order', () => {
    const random = new SeededRandom(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const sent = Array.from({ length: random.between(1, 12) }, (_, i) => opMsg({ ping: 1, pad: random.text(random.below(2000), 'xyz'), $db: 'admin' }, i));

      const received = frameInRandomChunks(Buffer.concat(sent), random);

      assert.deepEqual(received, sent, `round ${round}`);
    }
  });

  test('when a message is far larger than a chunk, then it comes out whole once its last byte arrives', () => {
    const big = opMsg({ insert: 'c', pad: 'x'.repeat(5_000_000), $db: 'shop' }, 1);
    const framer = new MessageFramer();
    const out: Buffer[] = [];
    for (let at = 0; at < big.length; at += 65_536) out.push(...framer.push(big.subarray(at, at + 65_536)));

    assert.equal(out.length, 1);
    assert.ok(out[0]!.equals(big));
  });

  test('when a length prefix is impossible, then the stream is declared broken, even if the prefix arrives byte by byte', () => {
    const framer = new MessageFramer();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32LE(49_000_000);
    framer.push(prefix.subarray(0, 2));

    assert.throws(() => framer.push(prefix.subarray(2)), BrokenStream);
  });
});
