import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.ts';

export interface TestDatabase {
  /** A connection string for a fresh, uniquely named database on the test server. */
  uri(prefix?: string): string;
  stop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * How often the embedded server's TTL pass runs. A real MongoDB ignores this:
   * its TTL monitor runs every 60 s, so tests that wait for expiry must allow for that.
   */
  ttlIntervalMs?: number;
}

/**
 * The server every database test talks to: a real MongoDB when MONGODB_URI is set,
 * otherwise the embedded server on a free port. Tests never branch on which one it is.
 */
export async function startTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const external = process.env.MONGODB_URI;
  const server = external
    ? undefined
    : await startEmbeddedMongo({ port: 0, ttlIntervalMs: options.ttlIntervalMs });
  const base = external ?? server!.uri;
  return {
    uri(prefix = 'test') {
      return withDatabaseName(base, `${prefix}_${randomBytes(4).toString('hex')}`);
    },
    async stop() {
      await server?.stop();
    },
  };
}

export interface DriverSuite {
  database: TestDatabase;
  /** A fresh database of that server, through the real driver. */
  db: Db;
}

/**
 * For the tests of the enclosing file or describe that talk to the server through the driver:
 * starts the server and connects in before() (then runs `setUp`), drops the database and stops
 * everything in after(). Returns an accessor, since all this exists only once the hook has run.
 */
export function driverPerSuite(prefix: string, setUp?: (db: Db) => Promise<unknown>): () => DriverSuite {
  let suite: DriverSuite | undefined;
  let client: MongoClient | undefined;
  before(async () => {
    const database = await startTestDatabase();
    client = await new MongoClient(database.uri(prefix)).connect();
    suite = { database, db: client.db() };
    await setUp?.(suite.db);
  });
  after(async () => {
    await suite?.db.dropDatabase();
    await client?.close();
    await suite?.database.stop();
  });
  return () => {
    if (!suite) throw new Error('The database starts in before(): use it inside hooks and tests.');
    return suite;
  };
}

/** Replaces the database path of a mongodb:// or mongodb+srv:// URI, keeping hosts and options. */
export function withDatabaseName(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`Not a MongoDB connection string: ${uri}`);
  return `${match[1]}/${name}${match[2] ?? ''}`;
}
