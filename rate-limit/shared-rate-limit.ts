import type { Config } from '../config.ts';
import { MemoryAttemptCounter } from './attempt-counter.ts';
import { MongoAttemptCounter } from './mongo-attempt-counter.ts';
import { RateLimit } from './rate-limit.ts';

/**
 * The rate limit for logins, signups and the instructor token. Where sessions are shared (the
 * MongoDB store) the counts are shared too, so cluster workers and instances on one database
 * count together; with the memory store each process counts alone, as it keeps its own sessions.
 */
export function rateLimitFor(config: Config): RateLimit {
  const { windowMs } = config.loginRateLimit;
  const counter = config.sessionStore === 'mongodb' ? new MongoAttemptCounter() : new MemoryAttemptCounter(windowMs);
  return new RateLimit(counter, windowMs);
}
