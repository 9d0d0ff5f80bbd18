import type { Document } from 'bson';
import { MongoError } from './errors.ts';
import { Collection } from './collection.ts';
import type { CollectionDump, JournalEntry } from './storage.ts';

const INVALID_DB_CHARS = /[/\\. "$\0]/;

/**
 * All databases and their collections. Every change is recorded as a journal entry; the server
 * takes the entries after each command and makes them durable before it replies.
 */
export class Engine {
  private readonly databases = new Map<string, Map<string, Collection>>();
  private pending: JournalEntry[] = [];
  private readonly record = (entry: JournalEntry) => {
    this.pending.push(entry);
  };

  constructor(dumps: CollectionDump[] = []) {
    for (const dump of dumps) this.collectionsOf(dump.db).set(dump.name, Collection.restore(dump, this.record));
  }

  /** The journal entries of the changes made since the last call. */
  takeJournalEntries(): JournalEntry[] {
    const entries = this.pending;
    this.pending = [];
    return entries;
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** Writes create a missing collection, like MongoDB. */
  ensureCollection(db: string, name: string): Collection {
    return this.getCollection(db, name) ?? this.createCollection(db, name, {});
  }

  createCollection(db: string, name: string, options: Document): Collection {
    validateCollectionName(db, name);
    const collections = this.collectionsOf(db);
    if (collections.has(name)) throw new MongoError(48, `Collection ${db}.${name} already exists.`);
    const collection = new Collection(db, name, options, this.record);
    collections.set(name, collection);
    this.record({ op: 'createCollection', db, coll: name, options });
    return collection;
  }

  dropCollection(db: string, name: string): boolean {
    const collections = this.databases.get(db);
    if (!collections?.delete(name)) return false;
    if (collections.size === 0) this.databases.delete(db);
    this.record({ op: 'dropCollection', db, coll: name });
    return true;
  }

  dropDatabase(db: string): void {
    if (!this.databases.delete(db)) return;
    this.record({ op: 'dropDatabase', db });
  }

  collections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  allCollections(): Collection[] {
    return [...this.databases.values()].flatMap((collections) => [...collections.values()]);
  }

  /** A consistent copy of everything, for a snapshot: documents are immutable, so references do. */
  dump(): CollectionDump[] {
    return this.allCollections().map((collection) => collection.dump());
  }

  private collectionsOf(db: string): Map<string, Collection> {
    let collections = this.databases.get(db);
    if (!collections) this.databases.set(db, (collections = new Map()));
    return collections;
  }
}

export function validateDatabaseName(db: unknown): string {
  if (typeof db !== 'string' || db === '' || INVALID_DB_CHARS.test(db) || db.length > 63) {
    throw new MongoError(73, `Invalid database name: '${String(db)}'`);
  }
  return db;
}

function validateCollectionName(db: string, name: string): void {
  validateDatabaseName(db);
  if (name === '' || name.includes('$') || name.includes('\0') || name.startsWith('system.')) {
    throw new MongoError(73, `Invalid collection name: '${db}.${name}'`);
  }
}
