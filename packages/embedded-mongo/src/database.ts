import { connectionString, generateCredentials, loadOrCreateCredentials, writeUriFile } from './credentials.ts';
import { Durability } from './durability.ts';
import { Engine } from './engine.ts';
import { DEFAULT_LIMITS, listen } from './server.ts';
import { DiskStorage } from './storage.ts';
import { startTtlMonitor } from './ttl.ts';
import { DEFAULT_MAX_TIME_MS, setMaxTimeMSCeiling } from './time-limit.ts';
import { HOST, type DatabaseOptions } from './options.ts';
import { scramKeys, type Credentials } from './scram.ts';

export interface RunningDatabase {
  port: number;
  /** Who may connect: `options.credentials`, else the data directory's, else made up for this run. */
  credentials: Credentials;
  /** Closes connections, makes everything durable, and releases the port and the data directory. */
  stop(): Promise<void>;
}

/** The whole server (storage, engine, wire listener, TTL pass) on the current thread: the worker runs this. */
export async function runDatabase(options: DatabaseOptions): Promise<RunningDatabase> {
  const { port = 0, dataDir, ttlIntervalMs = 60_000, limits } = options;
  setMaxTimeMSCeiling(options.maxTimeMS ?? DEFAULT_MAX_TIME_MS);
  const disk = dataDir === undefined ? undefined : await DiskStorage.open(dataDir);
  let credentials: Credentials;
  try {
    // Read only once the directory is ours (DiskStorage.open locks it): no two servers create it at once.
    credentials = options.credentials ?? (dataDir === undefined ? generateCredentials() : await loadOrCreateCredentials(dataDir));
  } catch (error) {
    await disk?.storage.close();
    throw error;
  }
  const engine = new Engine(disk?.collections);
  const durability = new Durability(engine, disk?.storage);
  const ttl = startTtlMonitor(engine, ttlIntervalMs, durability.commit);
  let server;
  try {
    server = await listen(engine, durability.commit, { port, host: HOST, limits: { ...DEFAULT_LIMITS, ...limits }, ttl, keys: scramKeys(credentials) });
    if (dataDir !== undefined) await writeUriFile(dataDir, connectionString(credentials, HOST, server.port));
  } catch (error) {
    await server?.close();
    ttl.stop();
    await disk?.storage.close();
    throw error;
  }
  return {
    port: server.port,
    credentials,
    async stop() {
      ttl.stop();
      await server.close();
      await durability.close();
    },
  };
}
