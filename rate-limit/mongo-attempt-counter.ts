import { AttemptCount } from '../models/attempt-count.ts';
import { isDuplicateKeyError } from '../models/db.ts';
import type { AttemptCounter, OpenWindow } from './attempt-counter.ts';

/** How often an attempt that lost a race looks again. */
const maxRounds = 5;

/**
 * Counts in the shared database, so every process counts together. Each step is one atomic
 * write, and only one of them can succeed for a given state of the counter: add to an open window
 * with room, create the counter (the unique `_id` lets one creator win), or reopen a closed one.
 */
export class MongoAttemptCounter implements AttemptCounter {
  async tryAdd(key: string, max: number, windowMs: number, now: number): Promise<number | undefined> {
    const at = new Date(now);
    const fresh = { count: 1, closesAt: new Date(now + windowMs) };
    // Cheapest first for the usual cases: a counter with room, then a new one, then a closed one.
    // A writer that lost a race to another looks again; it is refused only by a counter it sees full.
    for (let round = 1; round <= maxRounds; round += 1) {
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
      const counter = await AttemptCount.findById(key, { count: 1, closesAt: 1 }).lean();
      if (counter && counter.closesAt > at && counter.count >= max) return counter.closesAt.getTime();
    }
    // Outraced every round (never seen): refused for a second rather than counted nowhere.
    return now + 1000;
  }

  async takeBack(key: string): Promise<void> {
    await AttemptCount.updateOne({ _id: key, count: { $gt: 0 } }, { $inc: { count: -1 } });
  }

  async openWindows(now: number, atLeast: number, limit: number): Promise<OpenWindow[]> {
    const open = await AttemptCount.find({ closesAt: { $gt: new Date(now) }, count: { $gte: atLeast } })
      .sort({ closesAt: -1 })
      .limit(limit)
      .lean();
    return open.map(({ _id, count, closesAt }) => ({ key: _id, count, closesAt: closesAt.getTime() }));
  }

  // Emptied, not deleted: a counter deleted under a concurrent attempt would make it race to create one.
  async forget(key: string): Promise<void> {
    await AttemptCount.updateOne({ _id: key }, { $set: { count: 0 } });
  }
}
