import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/index.ts';
import { RawConnection, opMsg } from './support/wire-frames.ts';

// These tests are about the embedded server's own connection limits, so they start it directly, with small limits.
const LIMITS = { maxConnections: 3, maxBufferedBytes: 1_000_000, frameTimeoutMs: 500 };
const REPLY_TIMEOUT_MS = 5_000;

describe('embedded server connection limits, over raw sockets', () => {
  let server: EmbeddedMongo;
  const open: RawConnection[] = [];

  before(async () => {
    server = await startEmbeddedMongo({ port: 0, limits: LIMITS });
  });

  after(async () => {
    for (const connection of open) connection.destroy();
    await server.stop();
  });

  async function connect(): Promise<RawConnection> {
    const connection = await RawConnection.open(server.port);
    open.push(connection);
    return connection;
  }

  async function pings(connection: RawConnection, requestId: number): Promise<boolean> {
    connection.write(opMsg({ ping: 1, $db: 'admin' }, requestId));
    const replies = await connection.waitForReplies(connection.replies.length + 1, REPLY_TIMEOUT_MS).catch(() => []);
    return replies.at(-1)?.body.ok === 1;
  }

  /** Closes every connection opened so far and waits until the server has counted them out. */
  async function closeAll(): Promise<void> {
    for (const connection of open.splice(0)) connection.destroy();
    await sleep(200);
  }

  it('when more clients connect than allowed, then the extra connection is closed and the others keep working', async () => {
    const allowed = await Promise.all(Array.from({ length: LIMITS.maxConnections }, connect));
    for (const [i, connection] of allowed.entries()) assert.ok(await pings(connection, i + 1));

    const extra = await connect();

    assert.ok(await extra.closesWithin(REPLY_TIMEOUT_MS), 'the connection over the limit is closed');
    for (const [i, connection] of allowed.entries()) assert.ok(await pings(connection, i + 10), `connection ${i} still answers`);
    await closeAll();
  });

  it('when unfinished frames would buffer more than allowed in total, then the connection that overflows is closed and the other finishes', async () => {
    const big = opMsg({ ping: 1, pad: 'x'.repeat(700_000), $db: 'admin' }, 21);
    const [first, second] = [await connect(), await connect()];
    first.write(big.subarray(0, 600_000));
    await sleep(200);
    second.write(opMsg({ ping: 1, pad: 'y'.repeat(700_000), $db: 'admin' }, 22).subarray(0, 600_000));

    assert.ok(await second.closesWithin(REPLY_TIMEOUT_MS), 'the connection that went over the total is closed');
    first.write(big.subarray(600_000));
    const [reply] = await first.waitForReplies(1, REPLY_TIMEOUT_MS);
    assert.deepEqual([reply?.responseTo, reply?.body.ok], [21, 1]);
    await closeAll();
  });

  it('when a frame stays unfinished past the deadline, then the connection is closed; a frame finished in time is answered', async () => {
    const ping = opMsg({ ping: 1, $db: 'admin' }, 31);
    const [stalled, slow] = [await connect(), await connect()];
    stalled.write(ping.subarray(0, 10));
    slow.write(ping.subarray(0, 10));
    await sleep(LIMITS.frameTimeoutMs / 5);
    slow.write(ping.subarray(10));

    assert.ok(await stalled.closesWithin(REPLY_TIMEOUT_MS), 'the stalled connection is closed');
    const [reply] = await slow.waitForReplies(1, REPLY_TIMEOUT_MS);
    assert.equal(reply?.body.ok, 1);
    await closeAll();
  });
});
