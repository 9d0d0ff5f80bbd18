import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDatabaseCli } from 'embedded-mongo/testing';
import { processUsage, type ProcessUsage } from './child-process.ts';

export interface DatabaseProcess extends ProcessUsage {
  /** The shop's database on it. */
  uri: string;
  stop(): Promise<void>;
}

/** The embedded MongoDB-compatible server in its own process, as `npm run db -- --data DIR` runs it. */
export async function startDatabaseProcess({ ttlIntervalMs = 60_000 } = {}): Promise<DatabaseProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-db-'));
  const server = await startDatabaseCli({ dataDir, ttlIntervalMs });
  return {
    uri: `${server.uri}shop`,
    ...processUsage(server.pid),
    async stop() {
      await server.kill('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
