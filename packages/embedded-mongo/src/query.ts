import type { Document } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { Query } from 'mingo/query';
import { badValue } from './errors.ts';
import { isPlainObject } from './documents.ts';
import { checkTimeLimit } from './time-limit.ts';
import { mingoOptions, withMingo } from './filter.ts';
import { applyArrayOperators } from './projection.ts';

/** Orders documents without touching them (mingo's sort reorders references only). */
export function sortDocuments(docs: Document[], sort: Document | undefined): Document[] {
  if (!sort || Object.keys(sort).length === 0) return docs;
  for (const [field, direction] of Object.entries(sort)) {
    if (direction !== 1 && direction !== -1 && !isPlainObject(direction)) {
      throw badValue(`bad sort specification for '${field}': expected 1 or -1, got ${JSON.stringify(direction)}`);
    }
  }
  const sorted = withMingo('invalid sort', () => new Query({}, mingoOptions).find(docs).sort(sort).all() as Document[]);
  checkTimeLimit();
  return sorted;
}

/** Applies a find projection to documents the caller owns (already cloned). */
export function projectDocuments(docs: Document[], projection: Document | undefined): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  const rest = applyArrayOperators(docs, projection);
  if (Object.keys(rest).length === 0) return docs;
  return withMingo('invalid projection', () => new Query({}, mingoOptions).find(docs, rest).all() as Document[]);
}

/** Runs an aggregation pipeline over documents the caller owns: mingo may mutate them. */
export function runPipeline(
  docs: Document[],
  pipeline: Document[],
  resolveCollection: (name: string) => Document[],
): Document[] {
  const results = withMingo('invalid pipeline', () =>
    new Aggregator(pipeline, { ...mingoOptions, collectionResolver: resolveCollection }).run(docs) as Document[],
  );
  checkTimeLimit();
  return results;
}
