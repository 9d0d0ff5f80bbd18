import { Worker } from 'node:worker_threads';
import { connectionString } from './credentials.ts';
import { stderrLogger, type DatabaseLogger } from './log.ts';
import { DEFAULT_STOP_GRACE_MS, HOST, type DatabaseOptions, type FromWorker } from './options.ts';
import { nodeStripsTypes } from './typescript.ts';

export { DEFAULT_STOP_GRACE_MS, HOST };
export { lineLogger, stderrLogger, type DatabaseLogger } from './log.ts';
export { connectionString, embeddedMongoUri, generateCredentials, URI_FILE } from './credentials.ts';
export type { Credentials } from './scram.ts';
export type { ConnectionLimits } from './server.ts';
export { nodeStripsTypes, typescriptExecArgv } from './typescript.ts';

/*
 * Known differences from mongod, mostly about BSON types (mingo compares JavaScript values):
 * - int32, double and int64 within ±2^53 all arrive as JS numbers: type distinctions (`$type: 'long'`)
 *   are lost; an int64 beyond 2^53 stays a Long and equals only Longs.
 * - Decimal128 does not compare by value with numbers or other decimals in filters and sorts.
 * - Sorting values of different types follows mingo's order, close to MongoDB's but not identical.
 * - Arrays in indexed fields are indexed whole: a unique index compares whole arrays, not elements.
 * - One user, generated at first start into the data directory (credentials.json, 0600), who
 *   authenticates with SCRAM-SHA-256 against any database (authSource); no roles, no other users.
 * - No transactions, collation, $out/$merge, change streams; text, geo and hashed
 *   indexes are accepted and listed but never searched.
 */

export interface EmbeddedMongoOptions extends DatabaseOptions {
  /** Where the database's warnings and errors go (the shop passes its own); by default stderr. */
  logger?: DatabaseLogger;
}

export interface EmbeddedMongo {
  /** `mongodb://user:password@127.0.0.1:port/`, with the credentials: append a database name. */
  uri: string;
  port: number;
  /** Closes connections, makes everything durable, and releases the port. */
  stop(): Promise<void>;
}

// A worker thread does not inherit the TypeScript loader (tsx) of its parent: where Node does not
// strip types itself, the thread registers tsx first.
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(import.meta.resolve('./worker.ts'))}); })`;

function startWorker(workerData: DatabaseOptions): Worker {
  if (nodeStripsTypes) return new Worker(new URL('./worker.ts', import.meta.url), { workerData });
  return new Worker(WORKER_BOOTSTRAP, { eval: true, workerData });
}

/**
 * Starts a MongoDB-compatible server on 127.0.0.1 that the official drivers can talk to, and only
 * clients that know its credentials (in the returned URI) may read or write. It runs
 * in a worker thread of its own, so a slow query never stalls this thread's event loop.
 */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const { logger = stderrLogger, ...databaseOptions } = options;
  const worker = startWorker(databaseOptions);
  // The thread's log lines, whenever they come.
  worker.on('message', (message: FromWorker) => {
    if ('log' in message) logger[message.log.level](message.log.message);
  });
  let running = true;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  const started = (await nextMessage(worker)) as FromWorker;
  if (!('port' in started)) {
    await exited;
    throw workerError(started);
  }
  // A bug that kills the worker ends the database, not the process that started it.
  worker.on('error', (error) => logger.error(`embedded mongo: ${error.message}`));
  let stopped: Promise<void> | undefined;
  return {
    uri: connectionString(started.credentials, HOST, started.port),
    port: started.port,
    stop() {
      stopped ??= (async () => {
        if (!running) return;
        worker.postMessage('stop');
        // The thread reads 'stop' only between commands, and then still answers the ones already
        // received: a command that holds it (for up to its time budget) must hold neither a stop
        // nor a restart. Past the grace the thread is ended as a crash would end it, which loses
        // nothing acknowledged (every write is journaled before its reply) and frees the data
        // directory's lock with the thread.
        const graceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
        let ended = false;
        const grace = setTimeout(() => {
          ended = true;
          logger.warn(`embedded mongo: still busy ${graceMs} ms after being asked to stop: its thread is ended`);
          void worker.terminate();
        }, graceMs);
        try {
          const reply = (await nextMessage(worker).catch((error: Error) => {
            if (ended) return { stopped: true };
            throw error;
          })) as FromWorker;
          await exited;
          if (!('stopped' in reply)) throw workerError(reply);
        } finally {
          clearTimeout(grace);
        }
      })();
      return stopped;
    },
  };
}

/** The worker's next message but a log line; rejects if it fails or exits first. */
function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = (code: number) => settle(() => reject(new Error(`the embedded MongoDB worker exited (code ${code}) unexpectedly`)));
    const onMessage = (message: FromWorker) => {
      if (!('log' in message)) settle(() => resolve(message));
    };
    const settle = (then: () => void) => {
      worker.off('error', onError).off('exit', onExit).off('message', onMessage);
      then();
    };
    worker.on('error', onError).on('exit', onExit).on('message', onMessage);
  });
}

function workerError(reply: FromWorker): Error {
  const { message, code } = 'error' in reply ? reply.error : { message: 'unexpected reply from the embedded MongoDB worker', code: undefined };
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}
