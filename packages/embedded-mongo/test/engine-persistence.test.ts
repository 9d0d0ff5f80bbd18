import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.ts';
import { spawnDatabaseCli, startDatabaseCli } from '../testing/cli-process.ts';

// Durability is a property of the embedded server itself, so these tests start it directly.

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
    const first = await startDatabaseCli({ dataDir: dir });
    const client = await new MongoClient(`${first.uri}shop`).connect();
    await client.db().collection('orders').insertOne({ total: 42 });
    await client.db().collection('orders').updateOne({ total: 42 }, { $inc: { total: 1 } });
    await first.kill('SIGKILL');
    await client.close();

    const second = await startDatabaseCli({ dataDir: dir });
    const again = await new MongoClient(`${second.uri}shop`).connect();
    try {
      assert.deepEqual(await again.db().collection('orders').find({}, { projection: { _id: 0 } }).toArray(), [{ total: 43 }]);
    } finally {
      await again.close();
      assert.equal((await second.kill('SIGTERM')).code, 0, 'SIGTERM shuts the CLI down cleanly');
    }
  });

  it('when the CLI gets an unknown option or a bad port, then it prints the usage and exits with 2', async () => {
    for (const args of [['--bogus'], ['--port', 'http']]) {
      const cli = spawnDatabaseCli(args);
      assert.equal((await cli.exited).code, 2, `exit code for ${args.join(' ')}`);
      assert.match(cli.stderr(), /usage: npm run db/);
    }
  });
});
