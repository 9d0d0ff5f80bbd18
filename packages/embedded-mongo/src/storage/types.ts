import type { Document } from 'bson';

export interface IndexSpec {
  v?: number;
  key: Document;
  name: string;
  unique?: boolean;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

export interface CollectionDump {
  db: string;
  name: string;
  options: Document;
  indexes: IndexSpec[];
  documents: Document[];
}

export type JournalEntry =
  | { op: 'put'; db: string; coll: string; doc: Document }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createCollection'; db: string; coll: string; options: Document }
  | { op: 'dropCollection'; db: string; coll: string }
  | { op: 'dropDatabase'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string };
