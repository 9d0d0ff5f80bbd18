import { MongoError, badValue } from './errors.ts';

/**
 * Every command runs under a time budget: its `maxTimeMS`, or this default when it sets none (or 0),
 * so no single query can hold the server (and every other client) for long. Checked between documents.
 */
export const DEFAULT_MAX_TIME_MS = 10_000;

// Commands run one at a time and synchronously, so one deadline at a time is all there is.
let deadline = Infinity;

/** Runs `command` with the budget it asks for; checkTimeLimit() throws MaxTimeMSExpired (50) once it is spent. */
export function withTimeLimit<T>(maxTimeMS: unknown, command: () => T): T {
  const budget = maxTimeMS === undefined || maxTimeMS === 0 ? DEFAULT_MAX_TIME_MS : maxTimeMS;
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 0) {
    throw badValue(`maxTimeMS must be a non-negative integer, got ${JSON.stringify(maxTimeMS)}`);
  }
  deadline = Date.now() + budget;
  try {
    return command();
  } finally {
    deadline = Infinity;
  }
}

export function checkTimeLimit(): void {
  if (Date.now() > deadline) throw new MongoError(50, 'operation exceeded time limit');
}
