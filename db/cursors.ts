import { Long, calculateObjectSize, type Document } from 'bson';
import { MongoError } from './errors.ts';
import { MAX_BSON_SIZE } from './wire.ts';

const DEFAULT_FIRST_BATCH = 101;
// Leaves room for the reply envelope around the batch within one 16 MiB BSON document.
const BATCH_BYTES = MAX_BSON_SIZE - 64 * 1024;
// MongoDB drops cursors idle for 10 minutes; so do we, so abandoned cursors cannot pile up.
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  /** Results still to send: stored documents are immutable and a batch is serialized at once, so no copies. */
  remaining: Document[];
  lastUsed: number;
}

/** Server-side cursors: results are computed up front, then handed out in batches. */
export class CursorStore {
  private readonly open = new Map<number, OpenCursor>();
  // Ids stay below 2^53 so a driver's Long arrives back as an exact JS number.
  private nextId = Math.floor(Math.random() * 2 ** 40) + 1;

  /** The `cursor` field of a find/aggregate/list reply. */
  firstBatch(ns: string, results: Document[], batchSize: number | undefined, singleBatch = false): Document {
    const batch = takeBatch(results, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0;
    if (results.length > 0 && !singleBatch) {
      this.expireIdle();
      id = this.nextId++;
      this.open.set(id, { ns, remaining: results, lastUsed: Date.now() });
    }
    return { firstBatch: batch, id: Long.fromNumber(id), ns };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Document {
    const cursor = this.open.get(id);
    if (!cursor || cursor.ns !== ns) throw new MongoError(43, `cursor id ${id} not found`);
    const batch = takeBatch(cursor.remaining, batchSize || Infinity);
    cursor.lastUsed = Date.now();
    if (cursor.remaining.length === 0) this.open.delete(id);
    return { nextBatch: batch, id: Long.fromNumber(this.open.has(id) ? id : 0), ns };
  }

  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed = ids.filter((id) => this.open.delete(id));
    return { killed, notFound: ids.filter((id) => !killed.includes(id)) };
  }

  private expireIdle(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, cursor] of this.open) if (cursor.lastUsed < cutoff) this.open.delete(id);
  }
}

/** Removes and returns the next batch: at most `count` documents and about 16 MiB (at least one document). */
function takeBatch(remaining: Document[], count: number): Document[] {
  let bytes = 0;
  let taken = 0;
  while (taken < remaining.length && taken < count) {
    bytes += calculateObjectSize(remaining[taken]!, { ignoreUndefined: true });
    if (taken > 0 && bytes > BATCH_BYTES) break;
    taken++;
  }
  return remaining.splice(0, taken);
}
