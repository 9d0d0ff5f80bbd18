import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { MongoClient, type Document } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/index.ts';
import { loadDriverSeenFrom } from './support/drivers.ts';
import { authenticate, credentialsIn } from './support/scram-client.ts';
import { RawConnection, opMsg } from './support/wire-frames.ts';

// These tests are about the embedded server's own users and connections, so they always start it (never MONGODB_URI).

const REPLY_TIMEOUT_MS = 5_000;
const run = promisify(execFile);
const require = createRequire(import.meta.url);
const driver6 = loadDriverSeenFrom(require.resolve('connect-mongodb-session'));

/** The server's URI with its user and password removed: what any local user can guess. */
function withoutCredentials(uri: string): string {
  const url = new URL(uri);
  url.username = '';
  url.password = '';
  return url.href;
}

function withPassword(uri: string, password: string): string {
  const url = new URL(uri);
  url.password = password;
  return url.href;
}

/** One command over a raw connection, as the next request id. */
function exchangeOver(connection: RawConnection) {
  let requestId = 0;
  return async (command: Document): Promise<Document> => {
    connection.write(opMsg(command, ++requestId));
    const replies = await connection.waitForReplies(requestId, REPLY_TIMEOUT_MS);
    return replies.at(-1)!.body;
  };
}

describe('embedded server authentication (SCRAM-SHA-256)', () => {
  let dataDir: string;
  let server: EmbeddedMongo;

  before(async () => {
    // The parent is open to everyone, so only the data directory's own permissions keep others out.
    dataDir = await mkdtemp(join(tmpdir(), 'db-auth-'));
    await chmod(dataDir, 0o755);
    server = await startEmbeddedMongo({ port: 0, dataDir: join(dataDir, 'db') });
    const client = await new MongoClient(`${server.uri}shop`).connect();
    await client.db().collection('sessions').insertOne({ _id: 'sid-1' as never, session: '{"userId":"alice"}' });
    await client.db().collection('users').insertOne({ email: 'alice@example.com', password: '$2b$12$hash' });
    await client.close();
  });

  after(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when driver 7 and driver 6 connect with the URI it returns, then they read and write', async () => {
    assert.ok(credentialsIn(server.uri).password.length >= 32, 'the URI carries a generated password');
    for (const { MongoClient: Client, version } of [{ MongoClient, version: '7' }, driver6]) {
      const client = await new Client(`${server.uri}shop`, { serverSelectionTimeoutMS: 5_000 }).connect();
      try {
        await client.db().collection('notes').insertOne({ by: version });
        assert.equal(await client.db().collection('sessions').countDocuments(), 1, `driver ${version}`);
      } finally {
        await client.close();
      }
    }
    // As the brief for real MongoDB URIs spells it: the user in admin, the mechanism named.
    const explicit = await new MongoClient(`${server.uri}shop?authSource=admin&authMechanism=SCRAM-SHA-256`).connect();
    assert.equal(await explicit.db().collection('notes').countDocuments(), 2);
    await explicit.close();
  });

  it('when a client connects without credentials, then every data command is refused with 13 Unauthorized', async () => {
    const client = await new MongoClient(`${withoutCredentials(server.uri)}shop`, { serverSelectionTimeoutMS: 5_000 }).connect();
    try {
      const unauthorized = { code: 13, codeName: 'Unauthorized' };
      await assert.rejects(client.db().collection('sessions').find().toArray(), { ...unauthorized, message: 'command find requires authentication' });
      await assert.rejects(client.db().collection('users').findOne(), unauthorized);
      await assert.rejects(client.db().collection('sessions').updateOne({ _id: 'sid-1' as never }, { $set: { session: '{}' } }), unauthorized);
      await assert.rejects(client.db().collection('sessions').insertOne({ forged: true }), unauthorized);
      await assert.rejects(client.db().admin().listDatabases(), unauthorized);
      await assert.rejects(client.db().collection('sessions').aggregate([]).toArray(), unauthorized);
      assert.equal((await client.db().command({ ping: 1 })).ok, 1, 'ping needs no authentication, as in MongoDB');
    } finally {
      await client.close();
    }
  });

  it('when the password is wrong, then authentication fails with 18 and nothing is served', async () => {
    const intruder = new MongoClient(withPassword(server.uri, 'guessed'), { serverSelectionTimeoutMS: 5_000 });
    try {
      await assert.rejects(intruder.connect(), { code: 18 });
    } finally {
      await intruder.close();
    }

    const connection = await RawConnection.open(server.port);
    try {
      const exchange = exchangeOver(connection);
      const refused = await authenticate(exchange, credentialsIn(server.uri), { mangleProof: true });
      assert.deepEqual([refused.ok, refused.code], [0, 18]);
      assert.equal((await exchange({ find: 'sessions', $db: 'shop' })).code, 13, 'a failed proof leaves the connection unauthenticated');
      const accepted = await authenticate(exchange, credentialsIn(server.uri), { emptyExchange: true });
      assert.deepEqual([accepted.ok, accepted.done], [1, true], 'done after the empty exchange the client asked for');
      const found = await exchange({ find: 'sessions', $db: 'shop' });
      assert.equal((found.cursor as Document).firstBatch.length, 1, 'the right proof on the same connection then reads');
    } finally {
      connection.destroy();
    }
  });

  it('when it restarts on its data directory, then the credentials stay and only their owner can read them', async () => {
    const uri = server.uri;
    await server.stop();
    server = await startEmbeddedMongo({ port: 0, dataDir: join(dataDir, 'db') });
    assert.deepEqual(credentialsIn(server.uri), credentialsIn(uri));
    assert.equal((await readFile(join(dataDir, 'db', 'uri'), 'utf8')).trim(), server.uri, 'the uri file names this run');
    assert.equal((await stat(join(dataDir, 'db'))).mode & 0o777, 0o700);
    assert.equal((await stat(join(dataDir, 'db', 'credentials.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dataDir, 'db', 'uri'))).mode & 0o777, 0o600);
  });

  it('when another OS user (nobody) tries to connect, then it can neither read the credentials nor any data (S27)', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('only root can run a process as another user');
    if (!(await run('runuser', ['-u', 'nobody', '--', 'true']).then(() => true, () => false))) return t.skip('runuser or the user nobody is not available');
    // Plain JavaScript, so nobody needs no TypeScript loader; the driver comes from this checkout.
    const script = join(dataDir, 'intruder.mjs');
    await writeFile(
      script,
      `import { createRequire } from 'node:module';
      import { readFile } from 'node:fs/promises';
      const [driverPath, port, dataDir] = process.argv.slice(2);
      const { MongoClient } = createRequire(driverPath)('mongodb');
      const outcome = {};
      for (const file of ['credentials.json', 'uri']) {
        outcome[file] = await readFile(dataDir + '/' + file, 'utf8').then(() => 'read', (error) => error.code);
      }
      const client = await new MongoClient('mongodb://127.0.0.1:' + port + '/shop', { serverSelectionTimeoutMS: 5000 }).connect();
      for (const name of ['sessions', 'users']) {
        outcome[name] = await client.db().collection(name).find().toArray().then((found) => found, (error) => error.code);
      }
      await client.close();
      console.log(JSON.stringify(outcome));`,
      { mode: 0o644 },
    );
    const { stdout } = await run('runuser', ['-u', 'nobody', '--', process.execPath, script, require.resolve('mongodb'), String(server.port), join(dataDir, 'db')]);

    assert.deepEqual(JSON.parse(stdout), { 'credentials.json': 'EACCES', uri: 'EACCES', sessions: 13, users: 13 });
  });
});

describe('embedded server connections that do not authenticate', () => {
  const limits = { maxConnections: 60, maxUnauthenticated: 10, unauthenticatedIdleMs: 500 };
  let server: EmbeddedMongo;
  const silent: RawConnection[] = [];

  before(async () => {
    server = await startEmbeddedMongo({ port: 0, limits });
  });

  after(async () => {
    for (const connection of silent) connection.destroy();
    await server?.stop();
  });

  it('when as many sockets as the server allows connect and send nothing, then a real client still connects and works, and they are closed', async () => {
    for (let i = 0; i < limits.maxConnections; i++) silent.push(await RawConnection.open(server.port));

    // A heartbeat under the idle limit: its monitoring connection never authenticates, and must stay.
    const client = await new MongoClient(`${server.uri}idle`, { serverSelectionTimeoutMS: 5_000, heartbeatFrequencyMS: 200 }).connect();
    try {
      await client.db().collection('notes').insertOne({ text: 'in despite the crowd' });
      const before = await client.db().admin().serverStatus();

      const closed = await Promise.all(silent.map((connection) => connection.closesWithin(limits.unauthenticatedIdleMs * 6)));
      await sleep(limits.unauthenticatedIdleMs * 2);

      assert.deepEqual(closed.filter((wasClosed) => !wasClosed), [], 'silent connections left open');
      assert.equal(await client.db().collection('notes').countDocuments(), 1);
      const after = await client.db().admin().serverStatus();
      assert.equal(after.connections.totalCreated, before.connections.totalCreated, 'the idle authenticated pool connection and the monitor were kept');
    } finally {
      await client.close();
    }
  });
});
