import { Long, type Document } from 'bson';
import type { CursorId } from '../cursors.ts';
import { MongoError, badValue } from '../errors.ts';
import { canonicalKey, cloneDocument, isPlainObject } from '../documents.ts';
import { compileFilter } from '../filter.ts';
import { projectDocuments, sortDocuments } from '../query.ts';
import type { Engine } from '../engine.ts';
import { collectionName, optionalDocument, optionalNumber, type CommandTable } from './context.ts';

/** Matching documents (stored references) of a possibly missing collection: a missing one is empty. */
function matching(engine: Engine, db: string, name: string, filter: Document, limit = Infinity): Document[] {
  const collection = engine.getCollection(db, name);
  if (!collection) {
    compileFilter(filter); // still report a bad filter
    return [];
  }
  return collection.find(filter, limit);
}

function nonNegative(value: number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (value < 0) throw badValue(`${field} must be a non-negative number, got ${value}`);
  return value;
}

/** Every value at a dotted path, descending into arrays, as `distinct` reports them. */
function valuesAt(value: unknown, parts: string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, parts));
  if (parts.length === 0) return value === undefined ? [] : [value];
  if (!isPlainObject(value)) return [];
  return valuesAt(value[parts[0]!], parts.slice(1));
}

const isCursorId = (id: unknown): id is CursorId => typeof id === 'number' || id instanceof Long;

export const readCommands: CommandTable = {
  find: (body, { engine, cursors, db, client }) => {
    const name = collectionName(body, 'find');
    const projection = optionalDocument(body, 'projection', 'find');
    const skip = nonNegative(optionalNumber(body, 'skip', 'find'), 'skip');
    const requestedLimit = optionalNumber(body, 'limit', 'find') ?? 0;
    // A negative limit is the legacy way of asking for one batch only.
    const limit = Math.abs(requestedLimit);
    const singleBatch = body.singleBatch === true || requestedLimit < 0;
    const batchSize = optionalNumber(body, 'batchSize', 'find');
    if (batchSize !== undefined && batchSize < 0) throw badValue(`batchSize must be non-negative, got ${batchSize}`);

    const sort = optionalDocument(body, 'sort', 'find');
    // Without a sort the first skip + limit matches are the answer: stop scanning there.
    const enough = !sort && limit > 0 ? skip + limit : Infinity;
    const matched = matching(engine, db, name, optionalDocument(body, 'filter', 'find') ?? {}, enough);
    const sorted = sortDocuments(matched, sort);
    const page = sorted.slice(skip, limit > 0 ? skip + limit : undefined);
    const results = projection ? projectDocuments(page.map(cloneDocument), projection) : page;
    return { cursor: cursors.firstBatch(`${db}.${name}`, results, batchSize, client, singleBatch), ok: 1 };
  },

  getMore: (body, { cursors, db, client }) => {
    const id: unknown = body.getMore;
    if (!isCursorId(id)) throw new MongoError(14, "getMore's cursor id must be a 64-bit integer");
    const name = typeof body.collection === 'string' ? body.collection : '';
    const batchSize = optionalNumber(body, 'batchSize', 'getMore');
    return { cursor: cursors.getMore(id, `${db}.${name}`, batchSize, client), ok: 1 };
  },

  killCursors: (body, { cursors, client }) => {
    collectionName(body, 'killCursors');
    const ids = Array.isArray(body.cursors) ? body.cursors.filter(isCursorId) : [];
    const { killed, notFound } = cursors.kill(ids, client);
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },

  explain: (body, { engine, db }) => {
    const command = optionalDocument(body, 'explain', 'explain');
    if (!command || Object.keys(command)[0] !== 'find') throw new MongoError(115, 'the embedded server explains find commands only');
    const name = collectionName(command, 'find');
    const filter = optionalDocument(command, 'filter', 'find') ?? {};
    const index = engine.getCollection(db, name)?.indexFor(filter);
    const winningPlan = index
      ? { stage: 'FETCH', filter, inputStage: { stage: 'IXSCAN', keyPattern: index.key, indexName: index.name } }
      : { stage: 'COLLSCAN', filter, direction: 'forward' };
    return { explainVersion: '1', queryPlanner: { namespace: `${db}.${name}`, parsedQuery: filter, winningPlan, rejectedPlans: [] }, command, ok: 1 };
  },

  count: (body, { engine, db }) => {
    const name = collectionName(body, 'count');
    const skip = nonNegative(optionalNumber(body, 'skip', 'count'), 'skip');
    const limit = Math.abs(optionalNumber(body, 'limit', 'count') ?? 0);
    const query = optionalDocument(body, 'query', 'count') ?? {};
    const total = Object.keys(query).length === 0 ? (engine.getCollection(db, name)?.count ?? 0) : matching(engine, db, name, query).length;
    const afterSkip = Math.max(0, total - skip);
    return { n: limit > 0 ? Math.min(limit, afterSkip) : afterSkip, ok: 1 };
  },

  distinct: (body, { engine, db }) => {
    const name = collectionName(body, 'distinct');
    if (typeof body.key !== 'string' || body.key === '') throw new MongoError(14, "distinct's 'key' must be a non-empty string");
    const parts = body.key.split('.');
    const distinct = new Map<string, unknown>();
    for (const doc of matching(engine, db, name, optionalDocument(body, 'query', 'distinct') ?? {})) {
      for (const value of valuesAt(doc, parts)) distinct.set(canonicalKey(value), value);
    }
    return { values: [...distinct.values()], ok: 1 };
  },
};
