import { Durability } from './durability.ts';
import { Engine } from './engine.ts';
import { listen } from './server.ts';
import { DiskStorage } from './storage.ts';
import { startTtlMonitor } from './ttl.ts';

/*
 * Known differences from mongod, mostly about BSON types (mingo compares JavaScript values):
 * - int32, double and int64 within ±2^53 all arrive as JS numbers: type distinctions (`$type: 'long'`)
 *   are lost; an int64 beyond 2^53 stays a Long and equals only Longs.
 * - Decimal128 does not compare by value with numbers or other decimals in filters and sorts.
 * - Sorting values of different types follows mingo's order, close to MongoDB's but not identical.
 * - Arrays in indexed fields are indexed whole: a unique index compares whole arrays, not elements.
 * - No authentication, transactions, collation, text/geo/hashed indexes, $out/$merge, change streams.
 */

export interface EmbeddedMongoOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where to keep data across restarts; without it everything lives in memory only. */
  dataDir?: string;
  /** How often expired TTL documents are deleted (MongoDB: every 60 s). */
  ttlIntervalMs?: number;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  /** Closes connections, makes everything durable, and releases the port. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Starts a MongoDB-compatible server on 127.0.0.1 that the official drivers can talk to. */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const { port = 0, dataDir, ttlIntervalMs = 60_000 } = options;
  const disk = dataDir === undefined ? undefined : await DiskStorage.open(dataDir);
  const engine = new Engine(disk?.collections);
  const durability = new Durability(engine, disk?.storage);
  let server;
  try {
    server = await listen(engine, durability.commit, port, HOST);
  } catch (error) {
    await disk?.storage.close();
    throw error;
  }
  const ttl = startTtlMonitor(engine, ttlIntervalMs, durability.commit);
  let stopped: Promise<void> | undefined;
  return {
    uri: `mongodb://${HOST}:${server.port}/`,
    port: server.port,
    stop() {
      stopped ??= (async () => {
        ttl.stop();
        await server.close();
        await durability.close();
      })();
      return stopped;
    },
  };
}
