import { MongoError, badValue } from '../errors.ts';
import { cloneDocument, isPlainObject } from '../documents.ts';
import { runPipeline } from '../query.ts';
import { collectionName, documentArray, optionalDocument, type CommandTable } from './context.ts';

/** Stages that write: mingo would write into an in-memory array, silently losing the result. */
const WRITING_STAGES = ['$out', '$merge'];

export const aggregateCommands: CommandTable = {
  aggregate: (body, { engine, cursors, db, client }) => {
    if (body.aggregate === 1) throw new MongoError(115, 'database-level aggregation ({aggregate: 1}) is not supported by the embedded server');
    const name = collectionName(body, 'aggregate');
    const pipeline = documentArray(body, 'pipeline', 'aggregate');
    if (body.explain) throw new MongoError(115, 'explain is not supported by the embedded server');
    const cursorOptions = optionalDocument(body, 'cursor', 'aggregate');
    if (!cursorOptions) throw new MongoError(9, "The 'cursor' option is required, except for aggregate with the explain argument");
    for (const stage of pipeline) {
      const [operator] = Object.keys(stage);
      if (Object.keys(stage).length !== 1 || !operator) throw badValue('A pipeline stage specification object must contain exactly one field.');
      if (WRITING_STAGES.includes(operator)) throw new MongoError(115, `${operator} is not supported by the embedded server`);
    }

    const collection = engine.getCollection(db, name);
    // A leading $match can use the indexes and spares copying documents it would drop anyway.
    const [first, ...rest] = pipeline;
    const leadingMatch = first && isPlainObject(first.$match) ? first.$match : undefined;
    const source = collection ? collection.find(leadingMatch ?? {}) : [];
    const stages = leadingMatch ? rest : pipeline;
    // mingo may modify the documents it aggregates, so it only ever sees copies.
    const resolve = (from: string) => (engine.getCollection(db, from)?.all() ?? []).map(cloneDocument);
    const results = stages.length > 0 ? runPipeline(source.map(cloneDocument), stages, resolve) : source;
    return { cursor: cursors.firstBatch(`${db}.${name}`, results, cursorOptions.batchSize as number | undefined, client), ok: 1 };
  },
};
