import { AttemptCount } from '../models/attempt-count.ts';
import { isDuplicateKeyError } from '../models/db.ts';
import type { AttemptCounter } from './attempt-counter.ts';

/**
 * Counts in the shared database, so every process counts together. Each step is one atomic
 * write, and only one of them can succeed for a given state of the counter: add to an open window
 * with room, create the counter (the unique `_id` lets one creator win), or reopen a closed one.
 */
export class MongoAttemptCounter implements AttemptCounter {
  async tryAdd(key: string, max: number, windowMs: number, now: number): Promise<number | undefined> {
    const at = new Date(now);
    const fresh = { count: 1, closesAt: new Date(now + windowMs) };
    // A writer that lost a race starts again once; after that the counter exists and the answer is final.
    // Cheapest first for the usual cases: a counter with room, then a new one, then a closed one.
    for (let round = 1; round <= 2; round += 1) {
      const added = await AttemptCount.updateOne({ _id: key, closesAt: { $gt: at }, count: { $lt: max } }, { $inc: { count: 1 } });
      if (added.modifiedCount === 1) return undefined;
      const created = await AttemptCount.create({ _id: key, ...fresh }).then(
        () => true,
        (error: unknown) => {
          if (isDuplicateKeyError(error)) return false;
          throw error;
        },
      );
      if (created) return undefined;
      const reopened = await AttemptCount.updateOne({ _id: key, closesAt: { $lte: at } }, { $set: fresh });
      if (reopened.modifiedCount === 1) return undefined;
    }
    const full = await AttemptCount.findById(key, { closesAt: 1 }).lean();
    return full?.closesAt.getTime() ?? now;
  }

  async takeBack(key: string): Promise<void> {
    await AttemptCount.updateOne({ _id: key, count: { $gt: 0 } }, { $inc: { count: -1 } });
  }

  async forget(key: string): Promise<void> {
    await AttemptCount.deleteOne({ _id: key });
  }
}
