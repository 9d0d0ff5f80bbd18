import { EJSON, type Document } from 'bson';
import type { CollectionDump, IndexSpec, JournalEntry } from './types.ts';

interface CollectionState {
  db: string;
  name: string;
  options: Document;
  indexes: IndexSpec[];
  documents: Map<string, Document>;
}

/**
 * Rebuilds the collections from a snapshot plus journal entries. Every entry is
 * idempotent (put replaces, del and drops forget, creates keep what exists), because
 * a write that raced a compaction can be both in the snapshot and in the next journal.
 */
export class ReplayState {
  private readonly collections = new Map<string, CollectionState>();

  load(dumps: CollectionDump[]): void {
    for (const { db, name, options, indexes, documents } of dumps) {
      const state = this.collection(db, name, options);
      state.indexes = [...indexes];
      for (const doc of documents) state.documents.set(idKey(doc._id), doc);
    }
  }

  apply(entry: JournalEntry): void {
    switch (entry.op) {
      case 'put':
        this.collection(entry.db, entry.coll).documents.set(idKey(entry.doc._id), entry.doc);
        return;
      case 'del':
        this.collections.get(namespace(entry.db, entry.coll))?.documents.delete(idKey(entry.id));
        return;
      case 'createCollection':
        this.collection(entry.db, entry.coll, entry.options);
        return;
      case 'dropCollection':
        this.collections.delete(namespace(entry.db, entry.coll));
        return;
      case 'dropDatabase':
        for (const [key, state] of this.collections) if (state.db === entry.db) this.collections.delete(key);
        return;
      case 'createIndex': {
        const state = this.collection(entry.db, entry.coll);
        state.indexes = [...state.indexes.filter((spec) => spec.name !== entry.spec.name), entry.spec];
        return;
      }
      case 'dropIndex': {
        const state = this.collections.get(namespace(entry.db, entry.coll));
        if (state) state.indexes = state.indexes.filter((spec) => spec.name !== entry.name);
        return;
      }
      default:
        throw new Error(`Journal entry with unknown op ${JSON.stringify((entry as { op: unknown }).op)}`);
    }
  }

  dump(): CollectionDump[] {
    return [...this.collections.values()].map(({ db, name, options, indexes, documents }) => ({
      db,
      name,
      options,
      indexes,
      documents: [...documents.values()],
    }));
  }

  private collection(db: string, name: string, options: Document = {}): CollectionState {
    const key = namespace(db, name);
    let state = this.collections.get(key);
    if (!state) {
      state = { db, name, options, indexes: [], documents: new Map() };
      this.collections.set(key, state);
    }
    return state;
  }
}

const namespace = (db: string, coll: string) => `${db}.${coll}`;

// Canonical EJSON keeps types apart (the string "1" is not the number 1), as _id equality does.
const idKey = (id: unknown) => EJSON.stringify({ id }, { relaxed: false });
