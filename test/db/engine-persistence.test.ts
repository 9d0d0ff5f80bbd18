import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../db/index.ts';

// Durability is a property of the embedded server itself, so these tests start it directly.

interface RunningCli {
  child: ChildProcess;
  uri: string;
  exited: Promise<{ code: number | null; stderr: string }>;
}

function runCli(args: string[]): { child: ChildProcess; exited: RunningCli['exited']; output: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'db/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const output = new Promise<string>((resolve) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(stdout);
    });
    child.on('exit', () => resolve(stdout));
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return { child, exited, output };
}

async function startCli(dataDir: string): Promise<RunningCli> {
  const { child, exited, output } = runCli(['--port', '0', '--data', dataDir]);
  const uri = /mongodb:\/\/\S+\//.exec(await output)?.[0];
  assert.ok(uri, `the CLI printed no URI (stderr: ${(await Promise.race([exited, Promise.resolve(undefined)]))?.stderr})`);
  return { child, uri, exited };
}

describe('embedded server durability', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'engine-persistence-'));
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when the server is stopped and started on the same data, then documents and indexes are back', async () => {
    const dir = join(dataDir, 'restart');
    const first = await startEmbeddedMongo({ dataDir: dir });
    const client = await new MongoClient(`${first.uri}shop`).connect();
    await client.db().collection('users').createIndex({ email: 1 }, { unique: true });
    await client.db().collection('users').insertMany([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    await client.db().collection('users').updateOne({ email: 'b@example.com' }, { $set: { name: 'Bea' } });
    await client.close();
    await first.stop();

    const second = await startEmbeddedMongo({ dataDir: dir });
    const again = await new MongoClient(`${second.uri}shop`).connect();
    try {
      const users = again.db().collection('users');
      assert.deepEqual(await users.find({}, { projection: { _id: 0 } }).toArray(), [
        { email: 'a@example.com' },
        { email: 'b@example.com', name: 'Bea' },
      ]);
      await assert.rejects(users.insertOne({ email: 'a@example.com' }), { code: 11000 });
    } finally {
      await again.close();
      await second.stop();
    }
  });

  it('when the process is killed right after a write is acknowledged, then the write survives', async () => {
    const dir = join(dataDir, 'crash');
    const first = await startCli(dir);
    const client = await new MongoClient(`${first.uri}shop`).connect();
    await client.db().collection('orders').insertOne({ total: 42 });
    await client.db().collection('orders').updateOne({ total: 42 }, { $inc: { total: 1 } });
    first.child.kill('SIGKILL');
    await first.exited;
    await client.close();

    const second = await startCli(dir);
    const again = await new MongoClient(`${second.uri}shop`).connect();
    try {
      assert.deepEqual(await again.db().collection('orders').find({}, { projection: { _id: 0 } }).toArray(), [{ total: 43 }]);
    } finally {
      await again.close();
      second.child.kill('SIGTERM');
      assert.equal((await second.exited).code, 0, 'SIGTERM shuts the CLI down cleanly');
    }
  });

  it('when the CLI gets an unknown option or a bad port, then it prints the usage and exits with 2', async () => {
    for (const args of [['--bogus'], ['--port', 'http']]) {
      const { exited } = runCli(args);
      const { code, stderr } = await exited;
      assert.equal(code, 2, `exit code for ${args.join(' ')}`);
      assert.match(stderr, /usage: npm run db/);
    }
  });
});
