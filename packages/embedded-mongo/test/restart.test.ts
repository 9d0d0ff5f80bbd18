import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { spawnDatabaseCli, startDatabaseCli, type RunningDatabaseCli } from '../testing/cli-process.ts';
import { freePort } from '../testing/cli-process.ts';

// These tests are about the embedded server's data-directory lock, so they always run it (never MONGODB_URI).

/*
 * The lock is a socket the kernel frees when its process dies, so a start after a kill is not left to chance:
 * it works every time or never. Control: with a leftover LOCK file refusing the start, the first restart
 * fails. Three rounds (twenty before) show the data kept across repeated crashes.
 */
const RESTARTS = 3;
// Each start loads TypeScript twice (the CLI, then the database's worker thread): seconds on a busy machine.

let dataDir: string;
let servers: RunningDatabaseCli[] = [];
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'restart-test-'));
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.kill('SIGKILL')));
  servers = [];
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<RunningDatabaseCli> {
  const server = await startDatabaseCli({ dataDir });
  servers.push(server);
  return server;
}

async function countIn(server: RunningDatabaseCli): Promise<number> {
  const client = await new MongoClient(server.uri, { serverSelectionTimeoutMS: 3000 }).connect();
  try {
    return await client.db('shop').collection('restarts').countDocuments();
  } finally {
    await client.close();
  }
}

describe('embedded server data-directory lock', () => {
  test(`when the server is killed with SIGKILL and restarted half a second later, ${RESTARTS} times, then it always starts with its data`, { timeout: 300_000 }, async () => {
    for (let round = 1; round <= RESTARTS; round++) {
      const server = await start();
      const client = await new MongoClient(server.uri, { serverSelectionTimeoutMS: 3000 }).connect();
      await client.db('shop').collection('restarts').insertOne({ round });
      await client.close();
      // Not waiting for the exit: the restart must not depend on the dead process being reaped.
      process.kill(server.pid, 'SIGKILL');
      await sleep(500);
    }
    assert.equal(await countIn(await start()), RESTARTS);
  });

  test('when a second server is started on a directory a live server holds, then it is refused with a clear message', { timeout: 30_000 }, async () => {
    const first = await start();
    const second = spawnDatabaseCli(['--port', '0', '--data', dataDir]);

    const exit = await second.exited;

    assert.notEqual(exit.code, 0);
    assert.match(second.stderr(), new RegExp(`Data directory ${dataDir} is in use by process ${first.pid}`));
    assert.equal(await countIn(first), 0, 'the first server still answers');
  });

  test('when the LOCK file names the new server itself or a live process, then it starts', { timeout: 60_000 }, async () => {
    await writeFile(join(dataDir, 'LOCK'), String(process.pid));
    const first = await start();
    await first.kill('SIGTERM');
    // A container restarted after a crash often hands the new server the PID its old LOCK names.
    const next = spawnDatabaseCli(['--port', String(await freePort()), '--data', dataDir]);
    await writeFile(join(dataDir, 'LOCK'), String(next.pid));

    await next.listening;
    servers.push({ ...next, uri: await next.listening });

    assert.equal(await countIn(servers.at(-1)!), 0);
  });
});
