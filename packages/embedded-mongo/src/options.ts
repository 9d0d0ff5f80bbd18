import type { LogLevel } from './log.ts';
import type { Credentials } from './scram.ts';
import type { ConnectionLimits } from './server.ts';

/*
 * What the thread that starts the database and the database's own thread (worker.ts, database.ts)
 * share: the options, where it listens, and the messages between the two threads.
 */

/** What the database's thread is started with: startEmbeddedMongo's options but the logger, which stays on the starting thread. */
export interface DatabaseOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where to keep data across restarts; without it everything lives in memory only. */
  dataDir?: string;
  /** How often expired TTL documents are deleted (MongoDB: every 60 s). */
  ttlIntervalMs?: number;
  /** Caps on what clients may hold (server.ts DEFAULT_LIMITS when left out). */
  limits?: Partial<ConnectionLimits>;
  /**
   * The longest any command may run, in ms: a client's larger `maxTimeMS` is lowered to it, and a
   * command without one gets it (time-limit.ts DEFAULT_MAX_TIME_MS, 10 s, when left out).
   */
  maxTimeMS?: number;
  /** How long stop() lets the server stop cleanly before it ends its thread (DEFAULT_STOP_GRACE_MS when left out). */
  stopGraceMs?: number;
  /** The user clients must authenticate as; by default the data directory's (generated at its first start), or one made up for an in-memory server. */
  credentials?: Credentials;
}

export const HOST = '127.0.0.1';

/** A clean stop (connections closed, a last snapshot of the shop's data) takes milliseconds: this only has to outlast it. */
export const DEFAULT_STOP_GRACE_MS = 2_000;

/** From the database's thread: {port, credentials} or {error} once, then log lines, then {stopped: true} after a 'stop' request. */
export type FromWorker =
  | { port: number; credentials: Credentials }
  | { error: { message: string; code?: string } }
  | { stopped: true }
  | { log: { level: LogLevel; message: string } };
