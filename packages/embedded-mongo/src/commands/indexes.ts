import { MongoError } from '../errors.ts';
import { isPlainObject } from '../documents.ts';
import { normalizeIndexSpec } from '../indexes.ts';
import type { Collection } from '../collection.ts';
import { collectionName, optionalDocument, type CommandTable } from './context.ts';

/** dropIndexes names its target as '*', a name, a list of names, or a key pattern. */
function indexNamesToDrop(collection: Collection, target: unknown): string[] {
  if (target === '*') return collection.indexSpecs().slice(1).map((spec) => spec.name);
  if (typeof target === 'string') return [target];
  if (Array.isArray(target) && target.every((item) => typeof item === 'string')) return target;
  if (isPlainObject(target)) return [collection.indexNameForKey(target)];
  throw new MongoError(14, "dropIndexes 'index' must be '*', a name, an array of names or a key pattern");
}

export const indexCommands: CommandTable = {
  createIndexes: (body, { engine, db }) => {
    const name = collectionName(body, 'createIndexes');
    if (!Array.isArray(body.indexes) || body.indexes.length === 0) {
      throw new MongoError(2, "createIndexes needs a non-empty 'indexes' array");
    }
    const specs = body.indexes.map(normalizeIndexSpec);
    const existed = engine.getCollection(db, name);
    const collection = existed ?? engine.ensureCollection(db, name);
    const numIndexesBefore = collection.indexSpecs().length;
    const created = specs.filter((spec) => collection.createIndex(spec)).length;
    return {
      createdCollectionAutomatically: !existed,
      numIndexesBefore,
      numIndexesAfter: numIndexesBefore + created,
      ...(created === 0 ? { note: 'all indexes already exist' } : {}),
      ok: 1,
    };
  },

  listIndexes: (body, { engine, cursors, db, client }) => {
    const name = collectionName(body, 'listIndexes');
    const collection = engine.getCollection(db, name);
    if (!collection) throw new MongoError(26, `ns does not exist: ${db}.${name}`);
    const batchSize = (optionalDocument(body, 'cursor', 'listIndexes') ?? {}).batchSize as number | undefined;
    return { cursor: cursors.firstBatch(collection.namespace, collection.indexSpecs(), batchSize, client), ok: 1 };
  },

  dropIndexes: (body, { engine, db }) => {
    const name = collectionName(body, 'dropIndexes');
    const collection = engine.getCollection(db, name);
    if (!collection) throw new MongoError(26, `ns not found ${db}.${name}`);
    const nIndexesWas = collection.indexSpecs().length;
    const names = indexNamesToDrop(collection, body.index);
    for (const indexName of names) collection.dropIndex(indexName);
    return { nIndexesWas, ok: 1 };
  },
};
