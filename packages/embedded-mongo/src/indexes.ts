import type { Document } from 'bson';
import { MongoError } from './errors.ts';
import { canonicalKey, formatKeyValue, isPlainObject } from './documents.ts';
import { compileFilter, type Matcher } from './filter.ts';
import type { IndexSpec } from './storage.ts';

/** What a document contributes to an index: its values for the key fields, and whether an array was on the way. */
interface IndexKey {
  values: unknown[];
  key: string;
  throughArray: boolean;
}

/**
 * A secondary index: a map from the canonical key of the indexed fields to the ids of the documents
 * holding it. Unique indexes reject a second id per key. Arrays are indexed as whole values (not per
 * element as MongoDB does), so once a document puts an array on an indexed path the index stops
 * answering equality lookups and queries fall back to a scan.
 */
export class Index {
  readonly fields: string[];
  private readonly entries = new Map<string, Set<string>>();
  private multikey = false;
  private readonly searchable: boolean;
  /** A partial index holds only the documents matching its filter. */
  private readonly covers: Matcher;

  readonly spec: IndexSpec;
  private readonly namespace: string;

  constructor(
    spec: IndexSpec,
    namespace: string,
  ) {
    this.spec = spec;
    this.namespace = namespace;
    this.fields = Object.keys(spec.key);
    // An index of a kind we cannot search holds nothing: it neither answers lookups nor enforces uniqueness.
    this.searchable = Object.values(spec.key).every((direction) => direction === 1 || direction === -1);
    this.covers = this.searchable ? compileFilter(spec.partialFilterExpression as Document | undefined) : () => false;
  }

  get name(): string {
    return this.spec.name;
  }

  /** True when an equality lookup returns every document that can match. */
  get answersEquality(): boolean {
    return this.searchable && !this.multikey && !this.spec.sparse && !this.spec.partialFilterExpression;
  }

  /** Throws E11000 if `doc` (with id `idKey`) would duplicate another document's key. */
  checkUnique(doc: Document, idKey: string): void {
    if (!this.spec.unique) return;
    const key = this.keyOf(doc);
    if (!key) return;
    const holders = this.entries.get(key.key);
    if (holders && (holders.size > 1 || !holders.has(idKey))) {
      throw duplicateKeyError(this.namespace, this.spec, this.fields, key.values);
    }
  }

  add(doc: Document, idKey: string): void {
    const key = this.keyOf(doc);
    if (!key) return;
    if (key.throughArray) this.multikey = true;
    let holders = this.entries.get(key.key);
    if (!holders) this.entries.set(key.key, (holders = new Set()));
    holders.add(idKey);
  }

  remove(doc: Document, idKey: string): void {
    const key = this.keyOf(doc);
    if (!key) return;
    const holders = this.entries.get(key.key);
    holders?.delete(idKey);
    if (holders?.size === 0) this.entries.delete(key.key);
  }

  /** Ids of the documents whose key fields equal `values` (in field order). */
  lookup(values: unknown[]): Iterable<string> {
    return this.entries.get(canonicalKey(values)) ?? [];
  }

  /** Missing fields count as null, like MongoDB; a sparse index skips documents missing all of them. */
  private keyOf(doc: Document): IndexKey | undefined {
    if (!this.covers(doc)) return undefined;
    let throughArray = false;
    let present = false;
    const values = this.fields.map((field) => {
      const found = walk(doc, field);
      throughArray ||= found.throughArray;
      present ||= found.value !== undefined;
      return found.value ?? null;
    });
    if (this.spec.sparse && !present) return undefined;
    return { values, key: canonicalKey(values), throughArray };
  }
}

function walk(doc: Document, path: string): { value: unknown; throughArray: boolean } {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(current)) return { value: current, throughArray: true };
    if (!isPlainObject(current)) return { value: undefined, throughArray: false };
    current = current[part];
  }
  return { value: current, throughArray: Array.isArray(current) };
}

export function duplicateKeyError(namespace: string, spec: IndexSpec, fields: string[], values: unknown[]): MongoError {
  const keyValue = Object.fromEntries(fields.map((field, i) => [field, values[i]]));
  return new MongoError(
    11000,
    `E11000 duplicate key error collection: ${namespace} index: ${spec.name} dup key: ${formatKeyValue(keyValue)}`,
    { keyPattern: spec.key, keyValue },
  );
}

/**
 * Index kinds the server accepts and lists, so that an app declaring one starts, but cannot search:
 * queries that need them ($text, $near...) fail with an error saying so (filter.ts).
 */
const UNSEARCHABLE_KINDS = new Set(['text', '2d', '2dsphere', 'hashed']);

/** Checks a client's index spec and returns it in the shape listIndexes reports. */
export function normalizeIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw new MongoError(2, 'each index specification must be a document');
  const { key, name } = raw;
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw new MongoError(67, "index specification must have a non-empty 'key' document");
  }
  for (const [field, direction] of Object.entries(key)) {
    if (direction !== 1 && direction !== -1 && !UNSEARCHABLE_KINDS.has(direction as string)) {
      throw new MongoError(67, `index type ${JSON.stringify(direction)} on '${field}' is not supported by the embedded server (1, -1, ${[...UNSEARCHABLE_KINDS].join(', ')})`);
    }
  }
  if (typeof name !== 'string' || name === '') throw new MongoError(2, "index specification must have a non-empty 'name'");
  if (raw.expireAfterSeconds !== undefined) {
    const seconds = raw.expireAfterSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new MongoError(67, `expireAfterSeconds must be a non-negative number, got ${JSON.stringify(seconds)}`);
    }
    if (Object.keys(key).length !== 1) throw new MongoError(67, 'TTL indexes are single-field indexes, compound indexes do not support TTL');
  }
  const options = Object.fromEntries(Object.entries(raw).filter(([field]) => !['v', 'key', 'name'].includes(field)));
  return { v: 2, key, name, ...options };
}

/** Whether two specs on the same key describe the same index (createIndexes is then a no-op). */
export function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  const options = (spec: IndexSpec) =>
    canonicalKey([!!spec.unique, !!spec.sparse, spec.expireAfterSeconds ?? null, spec.partialFilterExpression ?? null]);
  return options(a) === options(b);
}
