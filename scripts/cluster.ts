import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { ConfigError, environmentFromFlags, keepDevelopmentSecrets, loadConfig, processEnvironment, shopFlags, shopFlagsHelp, type Config } from '../config.ts';
import { readCommandLine, UsageError } from '../lib/command-line.ts';
import { configureLogging, logger } from '../lib/logger.ts';
import { connectDatabase, disconnectDatabase } from '../models/db.ts';
import { instructorPanelHint, proxyWarning, seedDemoData, startDatabase, startServer, stopOnSignals } from '../server.ts';

/*
 * `npm run cluster -- --workers=3 [--session-store=memory] [--auth-mode=...] [--port=...]`:
 * N shop processes on one port (node:cluster hands each new connection to the next worker),
 * sharing one database. With the memory store every worker has its own sessions, so a form
 * served by one worker is refused by the next (403, naming both) and a login lives in one worker
 * only; with MongoDB every worker knows every session.
 */

interface ReadyMessage {
  url: string;
}

const defaultWorkers = 2;
const maximumWorkers = 16;
// `--workers` is the cluster's own; every other flag is the shop's (see config.ts).
const clusterFlags = { ...shopFlags, workers: { type: 'string' } } as const;
const usage = `usage: npm run cluster -- [--workers <1-${maximumWorkers}>] [flags]
  --workers <n>            shop processes sharing the port (default ${defaultWorkers})
${shopFlagsHelp}`;
const workerStopTimeoutMs = 10_000;

if (cluster.isPrimary) {
  await runPrimary().catch(failStart);
} else {
  await runWorker().catch(failStart);
}

async function runPrimary(): Promise<void> {
  const { workers, flags } = readCommandLine(process.argv.slice(2), clusterFlags, usage, (values) => ({
    workers: workerCount(values.workers),
    flags: environmentFromFlags(values),
  }));
  const env = { ...processEnvironment(), ...flags };
  keepDevelopmentSecrets(env);
  const config = loadConfig(env);
  configureLogging(config);
  const database = await startDatabase(config);
  // Seeded once, here: workers seeding an empty database side by side would each add the demo users.
  await connectDatabase(database.uri);
  await seedDemoData(config);
  await disconnectDatabase();

  const forked = Array.from({ length: workers }, () => cluster.fork(workerEnvironment(config, database.uri)));
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(forked.map(stopWorker));
    await database.stop();
  };
  stopOnSignals(stop);
  const [url = ''] = await Promise.all(forked.map(ready)).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  for (const worker of forked) {
    worker.on('exit', (code, signal) => {
      // Not replaced: the workers left are the cluster now, as after a crash without a supervisor.
      if (!stopping) logger.warn(`Worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}).`);
    });
  }
  logger.info(
    `Shop listening on ${url} (cluster of ${workers} workers, auth mode: ${config.authMode}, ` +
      `session store: ${config.authMode === 'session' ? config.sessionStore : 'none'}, database: ${database.kind})`,
  );
  const instructorHint = instructorPanelHint(config, url);
  if (instructorHint) logger.info(instructorHint);
  const warning = proxyWarning(config);
  if (warning) logger.warn(warning);
}

async function runWorker(): Promise<void> {
  const server = await startServer(loadConfig(processEnvironment()));
  stopOnSignals(server.stop);
  process.send?.({ url: server.url } satisfies ReadyMessage);
}

/** Every worker gets the primary's database and secrets: with its own, no worker could read another's cookies or sessions. */
function workerEnvironment(config: Config, databaseUri: string): Record<string, string> {
  const shared = {
    MONGODB_URI: databaseUri,
    SESSION_SECRET: config.sessionSecrets.join(','),
    INSTRUCTOR_TOKEN: config.instructorToken,
    AUTH_MODE: config.authMode,
    SESSION_STORE: config.sessionStore,
    PORT: String(config.port),
  };
  return Object.fromEntries(Object.entries(shared).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Resolves with the worker's URL once it listens; rejects if it exits first. */
function ready(worker: Worker): Promise<string> {
  return new Promise((resolve, reject) => {
    worker.once('message', (message: ReadyMessage) => resolve(message.url));
    worker.once('exit', (code) => reject(new Error(`Worker ${worker.id} exited (code ${code}) before it was listening.`)));
  });
}

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return;
  const exited = once(worker, 'exit');
  worker.process.kill('SIGTERM');
  const timer = setTimeout(() => worker.process.kill('SIGKILL'), workerStopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

function workerCount(value: string | undefined): number {
  if (value === undefined) return defaultWorkers;
  const workers = Number(value);
  if (!/^\d+$/.test(value) || workers < 1 || workers > maximumWorkers) {
    throw new UsageError(`--workers must be a whole number from 1 to ${maximumWorkers} (got "${value}")`);
  }
  return workers;
}

function failStart(error: unknown): never {
  // A configuration mistake needs its message, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
