import { Durability } from './durability.ts';
import { Engine } from './engine.ts';
import { DEFAULT_LIMITS, listen } from './server.ts';
import { DiskStorage } from './storage.ts';
import { startTtlMonitor } from './ttl.ts';
import type { EmbeddedMongoOptions } from './index.ts';

export interface RunningDatabase {
  port: number;
  /** Closes connections, makes everything durable, and releases the port and the data directory. */
  stop(): Promise<void>;
}

export const HOST = '127.0.0.1';

/** The whole server (storage, engine, wire listener, TTL pass) on the current thread: the worker runs this. */
export async function runDatabase(options: EmbeddedMongoOptions): Promise<RunningDatabase> {
  const { port = 0, dataDir, ttlIntervalMs = 60_000, limits } = options;
  const disk = dataDir === undefined ? undefined : await DiskStorage.open(dataDir);
  const engine = new Engine(disk?.collections);
  const durability = new Durability(engine, disk?.storage);
  const ttl = startTtlMonitor(engine, ttlIntervalMs, durability.commit);
  let server;
  try {
    server = await listen(engine, durability.commit, { port, host: HOST, limits: { ...DEFAULT_LIMITS, ...limits }, ttl });
  } catch (error) {
    ttl.stop();
    await disk?.storage.close();
    throw error;
  }
  return {
    port: server.port,
    async stop() {
      ttl.stop();
      await server.close();
      await durability.close();
    },
  };
}
