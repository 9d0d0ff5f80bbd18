import type { Engine } from './engine.ts';
import { getPath } from './documents.ts';
import type { Commit } from './server.ts';
import { log } from './log.ts';

/** When a document expires under a TTL index: its Date (the earliest of an array's Dates) plus the delay. Non-dates never do. */
function expiresAt(value: unknown, expireAfterSeconds: number): number | undefined {
  const dates = (Array.isArray(value) ? value : [value]).filter((item): item is Date => item instanceof Date);
  if (dates.length === 0) return undefined;
  return Math.min(...dates.map((date) => date.getTime())) + expireAfterSeconds * 1000;
}

/** Deletes every document past its TTL; returns how many. */
export function removeExpired(engine: Engine, now = Date.now()): number {
  let removed = 0;
  for (const collection of engine.allCollections()) {
    for (const spec of collection.indexSpecs()) {
      if (typeof spec.expireAfterSeconds !== 'number') continue;
      const [field] = Object.keys(spec.key);
      for (const doc of collection.all()) {
        const expiry = expiresAt(getPath(doc, field!), spec.expireAfterSeconds);
        if (expiry !== undefined && expiry <= now) {
          collection.remove(doc);
          removed++;
        }
      }
    }
  }
  return removed;
}

export interface TtlMonitor {
  /** How often the pass runs; setting it (setParameter ttlMonitorSleepSecs) restarts the timer. */
  intervalMs: number;
  stop(): void;
}

/** Runs the TTL pass every `intervalMs` (MongoDB: 60 s). The timer never keeps the process alive. */
export function startTtlMonitor(engine: Engine, intervalMs: number, commit: Commit): TtlMonitor {
  const pass = () => {
    removeExpired(engine);
    const entries = engine.takeJournalEntries();
    if (entries.length > 0) {
      commit(entries).catch((error: Error) => log.error(`embedded mongo: TTL deletions not journaled: ${error.message}`));
    }
  };
  const schedule = () => setInterval(pass, intervalMs).unref();
  let timer = schedule();
  return {
    get intervalMs() {
      return intervalMs;
    },
    set intervalMs(ms: number) {
      clearInterval(timer);
      intervalMs = ms;
      timer = schedule();
    },
    stop: () => clearInterval(timer),
  };
}
