import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeProcess, type ProcessUsage } from './child-process.ts';

export interface DatabaseProcess extends ProcessUsage {
  /** The shop's database on it. */
  uri: string;
  stop(): Promise<void>;
}

/** The embedded MongoDB-compatible server in its own process, as `npm run db -- --data DIR` runs it. */
export async function startDatabaseProcess({ ttlIntervalMs = 60_000 } = {}): Promise<DatabaseProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-db-'));
  const args = ['--port', '0', '--data', dataDir, '--ttl-interval', String(ttlIntervalMs)];
  const server = await startNodeProcess('db/cli.ts', args, {}, /listening at (mongodb:\/\/\S+\/)/);
  return {
    uri: `${server.address}shop`,
    rss: server.rss,
    cpuSeconds: server.cpuSeconds,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
