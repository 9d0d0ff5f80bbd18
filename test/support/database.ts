import { randomBytes } from 'node:crypto';
import { startEmbeddedMongo } from '../../db/index.ts';

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

/** Replaces the database path of a mongodb:// or mongodb+srv:// URI, keeping hosts and options. */
export function withDatabaseName(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`Not a MongoDB connection string: ${uri}`);
  return `${match[1]}/${name}${match[2] ?? ''}`;
}
