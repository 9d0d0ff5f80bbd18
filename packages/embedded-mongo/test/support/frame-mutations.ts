import { Binary, Long, calculateObjectSize, type Document } from 'bson';
import type { SeededRandom } from '../../testing/seeded-random.ts';
import { HEADER_BYTES, MORE_TO_COME, OP_MSG, frame, opMsg, opMsgWithSequence, opQuery } from './wire-frames.ts';

/** What one fuzz connection sends: its frames, cut into the TCP writes they go out as. */
export interface FuzzCase {
  kind: string;
  frames: number;
  chunks: Buffer[];
}

const MAX_MESSAGE_BYTES = 48_000_000;

/** Commands a driver could send, aimed at the collection the fuzz run writes to. */
const wellFormedCommands: ((random: SeededRandom) => Document)[] = [
  () => ({ ping: 1, $db: 'fuzz' }),
  () => ({ hello: 1, $db: 'admin' }),
  (random) => ({ insert: 'items', documents: [{ n: random.between(0, 99), text: 'fuzz' }], $db: 'fuzz' }),
  (random) => ({ find: 'items', filter: { n: { $gt: random.between(0, 99) } }, batchSize: 2, $db: 'fuzz' }),
  (random) => ({ update: 'items', updates: [{ q: { n: random.between(0, 99) }, u: { $inc: { n: 1 } }, upsert: true }], $db: 'fuzz' }),
  (random) => ({ delete: 'items', deletes: [{ q: { n: random.between(0, 99) }, limit: 1 }], $db: 'fuzz' }),
  () => ({ aggregate: 'items', pipeline: [{ $group: { _id: '$n', count: { $sum: 1 } } }], cursor: {}, $db: 'fuzz' }),
  (random) => ({ getMore: Long.fromNumber(random.between(1, 1e9)), collection: 'items', $db: 'fuzz' }),
];

/** Frames that parse but carry nonsense a server must refuse with an error reply. */
const nonsenseCommands: (() => Document)[] = [
  () => ({}),
  () => ({ $db: 'fuzz' }),
  () => ({ ping: 1, $db: 7 }),
  () => ({ find: 123, $db: 'fuzz' }),
  () => ({ find: 'items', filter: 'everything', sort: { n: 'sideways' }, limit: -5, skip: -1, $db: 'fuzz' }),
  () => ({ find: 'items', filter: { n: { $regex: '(' } }, $db: 'fuzz' }),
  () => ({ find: 'items', filter: deeplyNested(150), $db: 'fuzz' }),
  () => ({ insert: 'items', documents: 'not a list', $db: 'fuzz' }),
  () => ({ insert: '', documents: [{}], $db: 'fuzz' }),
  () => ({ update: 'items', updates: [{ q: 5, u: 'x' }], $db: 'fuzz' }),
  () => ({ update: 'items', updates: [{ q: {}, u: { $set: { 'a.$.b': 1 } } }], $db: 'fuzz' }),
  () => ({ aggregate: 'items', pipeline: [{ $bogus: 1 }], cursor: {}, $db: 'fuzz' }),
  () => ({ aggregate: 'items', pipeline: 'x', $db: 'fuzz' }),
  () => ({ createIndexes: 'items', indexes: [{ key: {}, name: '' }], $db: 'fuzz' }),
  () => ({ getMore: 'abc', collection: 5, $db: 'fuzz' }),
  () => ({ killCursors: 'items', cursors: ['x', null], $db: 'fuzz' }),
  () => ({ saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: new Binary(Buffer.from('n,,n=x,r=y')), $db: 'admin' }),
  () => ({ listDatabases: 'yes', $db: 'fuzz' }),
];

function deeplyNested(depth: number): Document {
  let filter: Document = { n: 1 };
  for (let level = 0; level < depth; level++) filter = { $and: [filter] };
  return filter;
}

function validFrame(random: SeededRandom): Buffer {
  return opMsg(random.pick(wellFormedCommands)(random), random.between(1, 2 ** 31 - 1));
}

function flipBits(random: SeededRandom, bytes: Buffer, flips: number, from = 0): Buffer {
  const mutated = Buffer.from(bytes);
  for (let flip = 0; flip < flips; flip++) {
    const at = random.between(from, mutated.length - 1);
    mutated[at] = mutated[at]! ^ (1 << random.between(0, 7));
  }
  return mutated;
}

function withLength(bytes: Buffer, length: number): Buffer {
  const mutated = Buffer.from(bytes);
  mutated.writeInt32LE(length, 0);
  return mutated;
}

/** Each generator makes one hostile (or, once in a while, harmless) frame. */
const frameGenerators: Record<string, (random: SeededRandom) => Buffer> = {
  'random bytes': (random) => random.bytes(random.between(1, 300)),
  'bit flips anywhere': (random) => flipBits(random, validFrame(random), random.between(1, 8)),
  'bit flips after the header': (random) => flipBits(random, validFrame(random), random.between(1, 4), HEADER_BYTES),
  'wrong length': (random) => {
    const bytes = validFrame(random);
    return withLength(bytes, random.pick([0, -1, 1, 4, 15, 16, 20, bytes.length - 1, bytes.length + 1, bytes.length + 64]));
  },
  'length above 48,000,000': (random) => withLength(validFrame(random), random.between(MAX_MESSAGE_BYTES + 1, 2 ** 31 - 1)),
  'truncated BSON': (random) => {
    const bytes = validFrame(random);
    const cut = bytes.subarray(0, random.between(HEADER_BYTES + 6, bytes.length - 1));
    return withLength(cut, cut.length);
  },
  'unknown opcode': (random) => {
    const bytes = validFrame(random);
    bytes.writeInt32LE(random.pick([0, 1, 1000, 2001, 2002, 2005, 2006, 2007, 2010, 2012, 9999, random.between(-(2 ** 31), 2 ** 31 - 1)]), 12);
    return bytes;
  },
  'unexpected flag bits': (random) =>
    opMsg({ ping: 1, $db: 'fuzz' }, random.between(1, 1000), random.pick([1, 1 << 2, 1 << 15, 1 << 16, 2 ** 32 - 1, random.between(0, 2 ** 32 - 1)])),
  'fire and forget': (random) => opMsg(random.pick(wellFormedCommands)(random), random.between(1, 1000), MORE_TO_COME),
  'nonsense command': (random) => opMsg(random.pick(nonsenseCommands)(), random.between(1, 1000)),
  'broken document sequence': (random) => {
    const documents = [{ n: 1 }, { n: 2 }];
    const bytes = opMsgWithSequence({ insert: 'items', $db: 'fuzz' }, 'documents', documents, random.between(1, 1000));
    // The sequence is the frame's tail: kind byte, int32 size, identifier, documents.
    const sequenceBytes = 1 + 4 + 'documents\0'.length + documents.reduce((sum, doc) => sum + calculateObjectSize(doc), 0);
    return flipBits(random, bytes, random.between(1, 3), bytes.length - sequenceBytes);
  },
  'unknown section kind': (random) => {
    const bytes = validFrame(random);
    bytes[HEADER_BYTES + 4] = random.between(2, 255);
    return bytes;
  },
  'legacy query': (random) => opQuery(random.pick(['admin', 'fuzz', '']), random.pick(wellFormedCommands)(random), random.between(1, 1000)),
  'mangled legacy query': (random) => flipBits(random, opQuery('admin', { ismaster: 1 }, 1), random.between(1, 6), HEADER_BYTES),
  'header only': (random) => frame(random.pick([OP_MSG, 2004, 1]), random.between(1, 1000), Buffer.alloc(0)),
  'well-formed command': validFrame,
};

/** Cuts `bytes` into one to five pieces at random points, as TCP may deliver them. */
function splitIntoChunks(random: SeededRandom, bytes: Buffer): Buffer[] {
  const cuts = Array.from({ length: random.between(0, Math.min(4, bytes.length - 1)) }, () => random.between(1, bytes.length - 1));
  const points = [0, ...new Set(cuts)].sort((a, b) => a - b);
  return points.map((start, index) => bytes.subarray(start, points[index + 1] ?? bytes.length));
}

/** A reproducible list of fuzz connections: the same seed always gives the same bytes. */
export function fuzzCases(random: SeededRandom, count: number): FuzzCase[] {
  const kinds = Object.keys(frameGenerators);
  return Array.from({ length: count }, () => {
    // Most connections carry one frame; some carry several back to back, as pipelined requests.
    const chosen = Array.from({ length: random.chance(0.2) ? random.between(2, 4) : 1 }, () => random.pick(kinds));
    const bytes = Buffer.concat(chosen.map((kind) => frameGenerators[kind]!(random)));
    const chunks = random.chance(0.4) ? splitIntoChunks(random, bytes) : [bytes];
    return { kind: chosen.join(' + '), frames: chosen.length, chunks };
  });
}
