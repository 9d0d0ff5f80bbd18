import mongoose from 'mongoose';
import { databaseReachable, databaseUnreachable } from '../lib/database-outage.ts';
import { logger } from '../lib/logger.ts';
import { mongoClientOptions } from '../lib/mongo-client-options.ts';

const retryDelayMs = 1000;

/** Connects the models (mongoose's default connection) to the shop database. */
export async function connectDatabase(uri: string): Promise<void> {
  // A query waits at most 2 s for a lost database to come back, then fails (the page says 503) instead of hanging.
  mongoose.set('bufferTimeoutMS', 2000);
  await mongoose.connect(uri, mongoClientOptions);
  // Build the indexes (the unique email) now, so the first signups cannot race past them.
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
}

export interface DatabaseConnection {
  /** Stops trying and disconnects. */
  close(): Promise<void>;
}

/**
 * Connects the models or, when the database cannot be reached, keeps trying in the background:
 * the shop starts anyway, answers 503 meanwhile, and needs no restart once the database is back.
 * `whenConnected` runs after the first successful connection (it seeds an empty database).
 */
export async function keepDatabaseConnected(uri: string, whenConnected: () => Promise<unknown>): Promise<DatabaseConnection> {
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  // The driver watches the server once connected: these say when it goes and comes back.
  mongoose.connection.on('disconnected', () => {
    if (!closed) databaseUnreachable('the connection to MongoDB was lost');
  });
  mongoose.connection.on('connected', databaseReachable);
  const attempt = async (): Promise<void> => {
    try {
      await connectDatabase(uri);
      await whenConnected();
    } catch (error) {
      if (closed) return;
      databaseUnreachable(error);
      retry = setTimeout(() => void attempt(), retryDelayMs);
    }
  };
  await attempt();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await disconnectDatabase();
    },
  };
}

/** True when an error means the database could not be reached, rather than a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { MongoNetworkError, MongoServerSelectionError } = mongoose.mongo;
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof mongoose.Error.MongooseServerSelectionError ||
    // A query that waited in mongoose's buffer for a connection in vain.
    (error instanceof mongoose.Error && !isDatabaseConnected())
  );
}

/** Logs a failed operation, unless the database was out of reach: that is logged once per outage, not per failure. */
export function logFailure(error: unknown, message: string): void {
  if (isDatabaseUnavailable(error)) databaseUnreachable(error);
  else logger.error({ err: error }, message);
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

export function isDatabaseConnected(): boolean {
  return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
}

/** True when a write broke a unique index (E11000): someone else got there first. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 11000;
}
