import { Iterator } from 'mingo/lazy';
import { MongoError, badValue } from './errors.ts';

/**
 * Every command runs under a time budget, so no single query can hold the server (and every other
 * client: commands run one at a time on the database thread) for long. The budget is the command's
 * `maxTimeMS`, lowered to the server's ceiling; a command without one (or with 0) gets the ceiling.
 *
 * 10 s by default: far above what any of the shop's own commands needs (milliseconds), and no
 * longer than a shop stop waits for the requests in flight (server.ts requestGraceMs), so the
 * request that sent a command never outlives it by more than that. mongod itself has no ceiling,
 * but it runs commands side by side; here one command stalls every client for its whole budget.
 */
export const DEFAULT_MAX_TIME_MS = 10_000;

let ceiling = DEFAULT_MAX_TIME_MS;

/** The longest any command may run on this thread (EmbeddedMongoOptions.maxTimeMS). */
export function setMaxTimeMSCeiling(ms: number): void {
  if (!Number.isInteger(ms) || ms <= 0) throw new RangeError(`the maxTimeMS ceiling must be a positive integer, got ${ms}`);
  ceiling = ms;
}

// Commands run one at a time and synchronously, so one deadline at a time is all there is.
let deadline = Infinity;

/** Runs `command` with the budget it asks for, at most the ceiling; checkTimeLimit() throws MaxTimeMSExpired (50) once it is spent. */
export function withTimeLimit<T>(maxTimeMS: unknown, command: () => T): T {
  if (maxTimeMS !== undefined && (typeof maxTimeMS !== 'number' || !Number.isInteger(maxTimeMS) || maxTimeMS < 0)) {
    throw badValue(`maxTimeMS must be a non-negative integer, got ${JSON.stringify(maxTimeMS)}`);
  }
  const budget = maxTimeMS === undefined || maxTimeMS === 0 ? ceiling : Math.min(maxTimeMS, ceiling);
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mingo's operators of every kind
type Operator = (...args: any[]) => unknown;

/**
 * mingo's operators, each checking the budget whenever it is called, and again whenever what it
 * returns is used: a query operator's predicate for each document it tests, a pipeline stage's
 * output for each document it yields. Evaluation is nothing but calls to operators, so work
 * without a check in between is bounded however the query nests ($lookup in $lookup, $and in
 * $or, $map over $map...), and a command ends with MaxTimeMSExpired soon after its budget.
 */
export function budgeted<T extends Record<string, unknown>>(operators: T): T {
  return Object.fromEntries(Object.entries(operators).map(([name, operator]) => [name, typeof operator === 'function' ? checked(operator as Operator) : operator])) as T;
}

function checked(operator: Operator): Operator {
  return (...args) => {
    checkTimeLimit();
    const result = operator(...args);
    if (typeof result === 'function') {
      const predicate = result as Operator;
      return (...inner: unknown[]) => {
        checkTimeLimit();
        return predicate(...inner);
      };
    }
    if (result instanceof Iterator) {
      return result.map((doc) => {
        checkTimeLimit();
        return doc;
      });
    }
    return result;
  };
}
