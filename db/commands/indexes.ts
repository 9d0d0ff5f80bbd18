import { MongoError } from '../errors.ts';
import { isPlainObject } from '../documents.ts';
import { normalizeIndexSpec } from '../indexes.ts';
import { collectionName, optionalDocument, type CommandTable } from './context.ts';

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

  listIndexes: (body, { engine, cursors, db }) => {
    const name = collectionName(body, 'listIndexes');
    const collection = engine.getCollection(db, name);
    if (!collection) throw new MongoError(26, `ns does not exist: ${db}.${name}`);
    const batchSize = (optionalDocument(body, 'cursor', 'listIndexes') ?? {}).batchSize as number | undefined;
    return { cursor: cursors.firstBatch(collection.namespace, collection.indexSpecs(), batchSize), ok: 1 };
  },

  dropIndexes: (body, { engine, db }) => {
    const name = collectionName(body, 'dropIndexes');
    const collection = engine.getCollection(db, name);
    if (!collection) throw new MongoError(26, `ns not found ${db}.${name}`);
    const nIndexesWas = collection.indexSpecs().length;
    const target = body.index;
    const names =
      target === '*'
        ? collection.indexSpecs().slice(1).map((spec) => spec.name)
        : typeof target === 'string'
          ? [target]
          : Array.isArray(target) && target.every((item) => typeof item === 'string')
            ? target
            : isPlainObject(target)
              ? [collection.indexNameForKey(target)]
              : undefined;
    if (!names) throw new MongoError(14, "dropIndexes 'index' must be '*', a name, an array of names or a key pattern");
    for (const indexName of names) collection.dropIndex(indexName);
    return { nIndexesWas, ok: 1 };
  },
};
