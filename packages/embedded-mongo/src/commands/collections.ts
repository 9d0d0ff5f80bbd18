import type { Document } from 'bson';
import { compileFilter } from '../filter.ts';
import { collectionName, commandOptions, optionalDocument, type CommandTable } from './context.ts';

export const collectionCommands: CommandTable = {
  create: (body, { engine, db }) => {
    const name = collectionName(body, 'create');
    const options = commandOptions(body, 'create');
    engine.createCollection(db, name, options);
    return { ok: 1 };
  },

  drop: (body, { engine, db }) => {
    const name = collectionName(body, 'drop');
    const collection = engine.getCollection(db, name);
    // Since MongoDB 7.0 dropping a missing collection succeeds.
    if (!collection) return { ok: 1 };
    const nIndexesWas = collection.indexSpecs().length;
    engine.dropCollection(db, name);
    return { ns: collection.namespace, nIndexesWas, ok: 1 };
  },

  dropDatabase: (_body, { engine, db }) => {
    engine.dropDatabase(db);
    return { dropped: db, ok: 1 };
  },

  listCollections: (body, { engine, cursors, db, client }) => {
    const matches = compileFilter(optionalDocument(body, 'filter', 'listCollections'));
    const nameOnly = body.nameOnly === true;
    const infos: Document[] = engine.collections(db).map((collection) =>
      nameOnly
        ? { name: collection.name, type: 'collection' }
        : {
            name: collection.name,
            type: 'collection',
            options: collection.options,
            info: { readOnly: false },
            idIndex: collection.indexSpecs()[0],
          },
    );
    const batchSize = (optionalDocument(body, 'cursor', 'listCollections') ?? {}).batchSize as number | undefined;
    return { cursor: cursors.firstBatch(`${db}.$cmd.listCollections`, infos.filter(matches), batchSize, client), ok: 1 };
  },

  listDatabases: (body, { engine }) => {
    const matches = compileFilter(optionalDocument(body, 'filter', 'listDatabases'));
    const databases = engine
      .databaseNames()
      .map((name) => ({ name, sizeOnDisk: 0, empty: engine.collections(name).every((c) => c.count === 0) }))
      .filter(matches);
    if (body.nameOnly === true) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
    return { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
  },
};
