import type { Document } from 'bson';
import { MongoError } from '../errors.ts';
import { isPlainObject } from '../documents.ts';
import type { Engine } from '../engine.ts';
import type { CursorStore } from '../cursors.ts';

export interface ServerState {
  startedAt: Date;
  connections: { current: number; totalCreated: number };
  /** The TTL pass, whose interval setParameter changes. */
  ttl: { intervalMs: number };
}

export interface CommandContext {
  engine: Engine;
  cursors: CursorStore;
  server: ServerState;
  /** `$db` of the command. */
  db: string;
  connectionId: number;
  /** Who sent the command, as far as cursors care: its client session (lsid), else its connection. */
  client: string;
}

/** Commands are synchronous: no other command runs between a change and taking its journal entries. */
export type CommandHandler = (body: Document, context: CommandContext) => Document;

export type CommandTable = Record<string, CommandHandler>;

/** Fields every command may carry besides its own options. */
const GENERIC_FIELDS = new Set([
  '$db', 'lsid', '$clusterTime', 'txnNumber', 'autocommit', 'startTransaction', 'readConcern',
  'writeConcern', '$readPreference', 'comment', 'maxTimeMS', 'apiVersion', 'apiStrict', 'apiDeprecationErrors',
]);

/** The command's own options: every field but its name and the generic ones. */
export function commandOptions(body: Document, command: string): Document {
  return Object.fromEntries(Object.entries(body).filter(([field]) => field !== command && !GENERIC_FIELDS.has(field)));
}

function wrongType(command: string, field: string, value: unknown, expected: string): MongoError {
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return new MongoError(14, `BSON field '${command}.${field}' is the wrong type '${actual}', expected type '${expected}'`);
}

/** The collection a command names in its first field, e.g. `{find: "users"}`. */
export function collectionName(body: Document, command: string): string {
  const name = body[command];
  if (typeof name !== 'string' || name === '') {
    throw new MongoError(73, `collection name must be a non-empty string in '${command}', got ${JSON.stringify(name)}`);
  }
  return name;
}

export function optionalDocument(body: Document, field: string, command: string): Document | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw wrongType(command, field, value, 'object');
  return value;
}

export function optionalNumber(body: Document, field: string, command: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(command, field, value, 'number');
  return value;
}

export function documentArray(body: Document, field: string, command: string): Document[] {
  const value = body[field];
  if (!Array.isArray(value) || !value.every(isPlainObject)) throw wrongType(command, field, value, 'array of objects');
  return value;
}
