import { logger } from './logger.ts';

/*
 * A database out of reach is an expected condition (a restart, a lost network), not a bug: it is
 * logged once when it begins and once when it ends, however many requests, retries and clients
 * (mongoose's, the session store's) notice it meanwhile.
 */
let unreachable = false;

/** Something could not reach the database: logged if, as far as the shop knew, it could until now. */
export function databaseUnreachable(cause: unknown): void {
  if (unreachable) return;
  unreachable = true;
  const reason = cause instanceof Error ? cause.message : String(cause);
  logger.warn(`Database unreachable (${reason}): pages answer 503 until it is back; nothing stored is lost, and the shop reconnects by itself.`);
}

/** A connection to the database succeeded: logged if it had been out of reach. */
export function databaseReachable(): void {
  if (!unreachable) return;
  unreachable = false;
  logger.info('Database reachable again: pages work as before.');
}
