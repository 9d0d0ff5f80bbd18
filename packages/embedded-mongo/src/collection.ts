import { ObjectId, calculateObjectSize, type Document } from 'bson';
import { MongoError, badValue } from './errors.ts';
import { canonicalKey } from './documents.ts';
import { Index, duplicateKeyError, sameIndexOptions } from './indexes.ts';
import { combinations, equalityConditions } from './planner.ts';
import { compileFilter } from './filter.ts';
import { checkTimeLimit } from './time-limit.ts';
import { MAX_BSON_SIZE } from './wire.ts';
import type { CollectionDump, IndexSpec, JournalEntry } from './storage.ts';

export type JournalSink = (entry: JournalEntry) => void;

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/**
 * The documents of one collection, keyed by the canonical form of their `_id` (which makes the
 * `_id_` index a lookup, not a scan), plus the secondary indexes. Stored documents are never
 * mutated: updates replace them with a new object, so readers may hold references safely.
 */
export class Collection {
  private readonly docs = new Map<string, Document>();
  private readonly indexes = new Map<string, Index>();

  readonly db: string;
  readonly name: string;
  readonly options: Document;
  private journal: JournalSink;

  constructor(
    db: string,
    name: string,
    options: Document,
    journal: JournalSink,
  ) {
    this.db = db;
    this.name = name;
    this.options = options;
    this.journal = journal;
  }

  get namespace(): string {
    return `${this.db}.${this.name}`;
  }

  get count(): number {
    return this.docs.size;
  }

  /** Stored documents matching the filter, in natural order, at most `limit`. Read-only references. */
  find(filter: Document = {}, limit = Infinity): Document[] {
    const { docs, exact } = this.candidates(filter);
    // Re-testing an id list against each of its own hits would cost ids² comparisons.
    const matches = exact ? () => true : compileFilter(filter);
    const found: Document[] = [];
    for (const doc of docs) {
      if (found.length >= limit) break;
      checkTimeLimit();
      if (matches(doc)) found.push(doc);
    }
    return found;
  }

  all(): Document[] {
    return [...this.docs.values()];
  }

  /** Takes ownership of `doc`; returns the stored document (with an `_id` added if it had none). */
  insert(doc: Document): Document {
    const stored = withIdFirst(doc);
    checkSize(stored);
    const idKey = idKeyOf(stored);
    if (this.docs.has(idKey)) {
      throw duplicateKeyError(this.namespace, ID_INDEX, ['_id'], [stored._id]);
    }
    for (const index of this.indexes.values()) index.checkUnique(stored, idKey);
    this.docs.set(idKey, stored);
    for (const index of this.indexes.values()) index.add(stored, idKey);
    this.journal({ op: 'put', db: this.db, coll: this.name, doc: stored });
    return stored;
  }

  /** Swaps a stored document for its updated copy (same `_id`), keeping its natural position. */
  replace(current: Document, next: Document): void {
    const idKey = idKeyOf(current);
    checkSize(next);
    if (idKeyOf(next) !== idKey) throw new MongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
    for (const index of this.indexes.values()) index.checkUnique(next, idKey);
    for (const index of this.indexes.values()) index.remove(current, idKey);
    this.docs.set(idKey, next);
    for (const index of this.indexes.values()) index.add(next, idKey);
    this.journal({ op: 'put', db: this.db, coll: this.name, doc: next });
  }

  remove(doc: Document): void {
    const idKey = idKeyOf(doc);
    if (!this.docs.delete(idKey)) return;
    for (const index of this.indexes.values()) index.remove(doc, idKey);
    this.journal({ op: 'del', db: this.db, coll: this.name, id: doc._id });
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  /** Returns false when an identical index already exists. Existing documents must satisfy it. */
  createIndex(spec: IndexSpec): boolean {
    const keyText = canonicalKey(spec.key);
    for (const existing of this.indexSpecs()) {
      const sameKey = canonicalKey(existing.key) === keyText;
      if (existing.name === spec.name) {
        if (!sameKey) {
          throw new MongoError(86, `An existing index has the same name as the requested index but a different key. Requested: ${spec.name} ${keyText}, existing: ${canonicalKey(existing.key)}`);
        }
        if (!sameIndexOptions(existing, spec)) throw new MongoError(85, `Index with name: ${spec.name} already exists with different options`);
        return false;
      }
      if (sameKey && sameIndexOptions(existing, spec)) {
        throw new MongoError(85, `Index already exists with a different name: ${existing.name}`);
      }
    }
    const index = new Index(spec, this.namespace);
    for (const [idKey, doc] of this.docs) {
      index.checkUnique(doc, idKey);
      index.add(doc, idKey);
    }
    this.indexes.set(spec.name, index);
    this.journal({ op: 'createIndex', db: this.db, coll: this.name, spec });
    return true;
  }

  dropIndex(name: string): void {
    if (name === ID_INDEX.name) throw new MongoError(72, 'cannot drop _id index');
    if (!this.indexes.delete(name)) throw new MongoError(27, `index not found with name [${name}]`);
    this.journal({ op: 'dropIndex', db: this.db, coll: this.name, name });
  }

  /** The index a query with this filter is served by; undefined for a collection scan (what explain reports). */
  indexFor(filter: Document): IndexSpec | undefined {
    return this.candidates(filter).index;
  }

  /** Finds the index name for a dropIndexes argument given as a key pattern. */
  indexNameForKey(key: Document): string {
    const keyText = canonicalKey(key);
    const spec = this.indexSpecs().find((candidate) => canonicalKey(candidate.key) === keyText);
    if (!spec) throw new MongoError(27, `can't find index with key: ${keyText}`);
    return spec.name;
  }

  dump(): CollectionDump {
    return {
      db: this.db,
      name: this.name,
      options: this.options,
      indexes: [...this.indexes.values()].map((index) => index.spec),
      documents: this.all(),
    };
  }

  /** Rebuilds a collection from disk without journaling what is already there. */
  static restore(dump: CollectionDump, journal: JournalSink): Collection {
    const collection = new Collection(dump.db, dump.name, dump.options, () => {});
    for (const spec of dump.indexes) if (spec.name !== ID_INDEX.name) collection.createIndex(spec);
    for (const doc of dump.documents) collection.insert(doc);
    collection.journal = journal;
    return collection;
  }

  /**
   * Narrows a query to the documents an index says can match; a full scan otherwise. `exact`: the
   * filter is nothing but an `_id` equality or `$in`, so every candidate matches by construction.
   */
  private candidates(filter: Document): { docs: Iterable<Document>; exact: boolean; index?: IndexSpec } {
    const equalities = equalityConditions(filter);
    const ids = equalities.get('_id');
    if (ids) return { docs: this.byIds(ids.map((id) => canonicalKey(id))), exact: Object.keys(filter).length === 1, index: ID_INDEX };
    for (const index of this.indexes.values()) {
      if (!index.answersEquality) continue;
      const lists = index.fields.map((field) => equalities.get(field));
      if (lists.some((values) => values === undefined)) continue;
      const keys = combinations(lists as unknown[][]);
      if (keys) return { docs: this.byIds(keys.flatMap((values) => [...index.lookup(values)])), exact: false, index: index.spec };
    }
    return { docs: this.docs.values(), exact: false };
  }

  private byIds(idKeys: string[]): Document[] {
    const found: Document[] = [];
    for (const idKey of new Set(idKeys)) {
      const doc = this.docs.get(idKey);
      if (doc) found.push(doc);
    }
    return found;
  }
}

/** MongoDB stores `_id` as the first field (drivers append it to the end) and creates it if missing. */
function withIdFirst(doc: Document): Document {
  const { _id = new ObjectId(), ...fields } = doc;
  return { _id, ...fields };
}

/** A message may carry up to 48 MB, but no stored document may exceed MongoDB's 16 MiB. */
function checkSize(doc: Document): void {
  const size = calculateObjectSize(doc, { ignoreUndefined: true });
  if (size > MAX_BSON_SIZE) throw new MongoError(10334, `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_SIZE}`);
}

function idKeyOf(doc: Document): string {
  if (Array.isArray(doc._id)) throw badValue(`can't use an array for _id`);
  return canonicalKey(doc._id);
}
