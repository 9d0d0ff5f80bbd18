import { randomBytes } from 'node:crypto';
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
  /** Who may read on: the client session (lsid) that opened it, or its connection when it sent none. */
  owner: string;
  /** Results still to send: stored documents are immutable and a batch is serialized at once, so no copies. */
  remaining: Document[];
  lastUsed: number;
}

/** A cursor id as the client sends it back: a number when it fits in 2^53, a Long otherwise. */
export type CursorId = number | Long;

/**
 * Server-side cursors: results are computed up front, then handed out in batches. Ids are random
 * positive 63-bit numbers, and a cursor answers only its owner: another client cannot guess one,
 * nor read or kill it if it learns one (CursorNotFound, as if it did not exist).
 */
export class CursorStore {
  private readonly open = new Map<string, OpenCursor>();

  /** The `cursor` field of a find/aggregate/list reply. */
  firstBatch(ns: string, results: Document[], batchSize: number | undefined, owner: string, singleBatch = false): Document {
    const batch = takeBatch(results, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (results.length > 0 && !singleBatch) {
      this.expireIdle();
      id = this.newId();
      this.open.set(id.toString(), { ns, owner, remaining: results, lastUsed: Date.now() });
    }
    return { firstBatch: batch, id, ns };
  }

  getMore(id: CursorId, ns: string, batchSize: number | undefined, owner: string): Document {
    const key = id.toString();
    const cursor = this.open.get(key);
    if (!cursor || cursor.ns !== ns || cursor.owner !== owner) throw new MongoError(43, `cursor id ${key} not found`);
    const batch = takeBatch(cursor.remaining, batchSize || Infinity);
    cursor.lastUsed = Date.now();
    if (cursor.remaining.length === 0) this.open.delete(key);
    return { nextBatch: batch, id: this.open.has(key) ? Long.fromString(key) : Long.ZERO, ns };
  }

  kill(ids: CursorId[], owner: string): { killed: CursorId[]; notFound: CursorId[] } {
    const killed = ids.filter((id) => this.open.get(id.toString())?.owner === owner && this.open.delete(id.toString()));
    return { killed, notFound: ids.filter((id) => !killed.includes(id)) };
  }

  private newId(): Long {
    for (;;) {
      const id = Long.fromBytesLE([...randomBytes(8)]).and(Long.MAX_VALUE);
      if (!id.isZero() && !this.open.has(id.toString())) return id;
    }
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
