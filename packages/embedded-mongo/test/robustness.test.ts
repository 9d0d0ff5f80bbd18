import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/index.ts';
import { fuzzCases, type FuzzCase } from './support/frame-mutations.ts';
import { SeededRandom } from '../testing/seeded-random.ts';
import { authenticate, credentialsIn, type UserPassword } from './support/scram-client.ts';
import { MORE_TO_COME, RawConnection, opMsg } from './support/wire-frames.ts';

// Change the seed to explore; keep a failing one to reproduce it byte for byte.
const SEED = 20_260_127;
const FUZZ_CONNECTIONS = 1_200;
const CONCURRENT_SOCKETS = 4;
const REPLY_TIMEOUT_MS = 2_000;

// This file tests the embedded server's own framing, so it starts that server directly.
describe('embedded server wire framing under hostile input', () => {
  let server: EmbeddedMongo;

  before(async () => {
    server = await startEmbeddedMongo({ port: 0 });
  });

  after(async () => {
    await server?.stop();
  });

  async function ping(requestId: number): Promise<number | undefined> {
    const connection = await RawConnection.open(server.port);
    connection.write(opMsg({ ping: 1, $db: 'admin' }, requestId));
    const [reply] = await connection.waitForReplies(1, REPLY_TIMEOUT_MS);
    connection.destroy();
    assert.equal(reply?.responseTo, requestId);
    return reply?.body.ok as number | undefined;
  }

  it('when a command arrives one byte at a time, then the server answers it', async () => {
    const connection = await RawConnection.open(server.port);
    for (const byte of opMsg({ ping: 1, $db: 'admin' }, 41)) {
      connection.write(Buffer.from([byte]));
      await nextTurn();
    }

    const [reply] = await connection.waitForReplies(1, REPLY_TIMEOUT_MS);
    connection.destroy();

    assert.deepEqual([reply?.responseTo, reply?.body.ok], [41, 1]);
  });

  it('when two commands arrive in one chunk, then both are answered, in order', async () => {
    const connection = await RawConnection.open(server.port);
    connection.write(Buffer.concat([opMsg({ ping: 1, $db: 'admin' }, 7), opMsg({ noSuchCmd: 1, $db: 'admin' }, 8)]));

    const replies = await connection.waitForReplies(2, REPLY_TIMEOUT_MS);
    connection.destroy();

    assert.deepEqual(
      replies.map((reply) => [reply.responseTo, reply.body.ok, reply.body.code]),
      [
        [7, 1, undefined],
        [8, 0, 59],
      ],
    );
  });

  it('when a request is fire-and-forget (moreToCome), then it gets no reply and the next request does', async () => {
    const connection = await RawConnection.open(server.port);
    connection.write(opMsg({ ping: 1, $db: 'admin' }, 1, MORE_TO_COME));
    connection.write(opMsg({ ping: 1, $db: 'admin' }, 2));
    connection.write(opMsg({ ping: 1, $db: 'admin' }, 3));

    // Replies come in request order, so a stray reply to the first would arrive before the last one.
    await connection.waitForReplies(2, REPLY_TIMEOUT_MS);
    connection.destroy();

    assert.deepEqual(connection.replies.map((reply) => reply.responseTo), [2, 3]);
  });

  it('when a frame declares more than 48,000,000 bytes, then the server closes that connection and keeps serving others', async () => {
    const bystander = await RawConnection.open(server.port);
    const offender = await RawConnection.open(server.port);
    const oversized = opMsg({ ping: 1, $db: 'admin' }, 3);
    oversized.writeInt32LE(48_000_001, 0);

    offender.write(oversized);

    assert.equal(await offender.closesWithin(REPLY_TIMEOUT_MS), true);
    bystander.write(opMsg({ ping: 1, $db: 'admin' }, 4));
    const [reply] = await bystander.waitForReplies(1, REPLY_TIMEOUT_MS);
    bystander.destroy();
    assert.equal(reply?.body.ok, 1);
  });

  it(`when ${FUZZ_CONNECTIONS} connections send random and mutated frames (seed ${SEED}), then the server stays up and a driver still works`, { timeout: 20_000 }, async (t) => {
    const cases = fuzzCases(new SeededRandom(SEED), FUZZ_CONNECTIONS);
    // Half the connections authenticate first, so the commands behind the authentication check get fuzzed too.
    const outcomes = await runConcurrently(cases, CONCURRENT_SOCKETS, (fuzzCase, index) =>
      sendAndHangUp(server.port, fuzzCase, index % 2 === 0 ? credentialsIn(server.uri) : undefined),
    );

    const frames = cases.reduce((sum, fuzzCase) => sum + fuzzCase.frames, 0);
    const left = outcomes.filter((outcome) => !outcome.closed).map((outcome) => outcome.kind);
    const garbled = outcomes.filter((outcome) => outcome.malformedReplies > 0).map((outcome) => outcome.kind);
    const replies = outcomes.reduce((sum, outcome) => sum + outcome.replies, 0);
    t.diagnostic(`${frames} frames over ${cases.length} connections, ${replies} replies`);

    assert.ok(frames >= 1_000);
    assert.deepEqual(left, [], 'connections the server left open after the client hung up');
    assert.deepEqual(garbled, [], 'connections that received bytes that are not a well-formed reply');
    assert.equal(await ping(99), 1);
    await assertDriverReadsAndWrites(server.uri);
  });
});

interface FuzzOutcome {
  kind: string;
  closed: boolean;
  replies: number;
  malformedReplies: number;
}

/** Sends one case's chunks as separate writes (after authenticating, given credentials), hangs up, and waits for the server to close too. */
async function sendAndHangUp(port: number, fuzzCase: FuzzCase, credentials?: UserPassword): Promise<FuzzOutcome> {
  const connection = await RawConnection.open(port);
  if (credentials) {
    let requestId = 0;
    const authenticated = await authenticate(async (command) => {
      connection.write(opMsg(command, ++requestId));
      return (await connection.waitForReplies(requestId, REPLY_TIMEOUT_MS)).at(-1)!.body;
    }, credentials);
    assert.equal(authenticated.ok, 1);
  }
  for (const chunk of fuzzCase.chunks) {
    connection.write(chunk);
    await nextTurn();
  }
  connection.hangUp();
  const closed = await connection.closesWithin(REPLY_TIMEOUT_MS);
  connection.destroy();
  return { kind: fuzzCase.kind, closed, replies: connection.replies.length, malformedReplies: connection.malformedReplies };
}

async function runConcurrently<T, R>(items: T[], workers: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

async function assertDriverReadsAndWrites(uri: string): Promise<void> {
  const client = await new MongoClient(uri).connect();
  try {
    const notes = client.db('after_fuzz').collection('notes');
    await notes.insertOne({ text: 'still here' });
    assert.deepEqual(await notes.find({}, { projection: { _id: 0 } }).toArray(), [{ text: 'still here' }]);
  } finally {
    await client.close();
  }
}
