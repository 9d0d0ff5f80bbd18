import type { Document } from 'bson';
import { Aggregator, Query, find } from 'mingo';
import type { Options } from 'mingo/types';
import { badValue } from './errors.ts';
import { isPlainObject } from './documents.ts';

/** Client-sent JavaScript ($where, $function, $accumulator) never runs inside the server. */
export const mingoOptions: Partial<Options> = { scriptEnabled: false };

/** mingo's wording of errors MongoDB also reports, rewritten to MongoDB's wording. */
const MONGODB_WORDING: [RegExp, string][] = [
  [/^unknown query operator (\$\w+)/, 'unknown operator: $1'],
  [/^unknown top level operator: (\$\w+)/, "unknown top level operator: $1. If you have a field name that starts with a '$$' symbol, consider using $$getField or $$setField."],
];

/**
 * mingo throws plain Errors naming the operator it does not know ("unknown query operator $foo");
 * those become BadValue replies instead of silently wrong answers or internal errors.
 */
export function withMingo<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const message = (error as Error).message;
    const known = MONGODB_WORDING.find(([pattern]) => pattern.test(message));
    throw badValue(known ? message.replace(known[0], known[1]) : `${what}: ${message}`);
  }
}

export type Matcher = (doc: Document) => boolean;

export function compileFilter(filter: Document | undefined): Matcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const query = withMingo('invalid filter', () => new Query(filter, mingoOptions));
  return (doc) => withMingo('invalid filter', () => query.test(doc));
}

/** Orders documents without touching them (mingo's sort reorders references only). */
export function sortDocuments(docs: Document[], sort: Document | undefined): Document[] {
  if (!sort || Object.keys(sort).length === 0) return docs;
  for (const [field, direction] of Object.entries(sort)) {
    if (direction !== 1 && direction !== -1 && !isPlainObject(direction)) {
      throw badValue(`bad sort specification for '${field}': expected 1 or -1, got ${JSON.stringify(direction)}`);
    }
  }
  return withMingo('invalid sort', () => find(docs, {}, undefined, mingoOptions).sort(sort).all() as Document[]);
}

/** Applies a find projection to documents the caller owns (already cloned). */
export function projectDocuments(docs: Document[], projection: Document | undefined): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  return withMingo('invalid projection', () => find(docs, {}, projection, mingoOptions).all() as Document[]);
}

/** Runs an aggregation pipeline over documents the caller owns: mingo may mutate them. */
export function runPipeline(
  docs: Document[],
  pipeline: Document[],
  resolveCollection: (name: string) => Document[],
): Document[] {
  return withMingo('invalid pipeline', () =>
    new Aggregator(pipeline, { ...mingoOptions, collectionResolver: resolveCollection }).run(docs) as Document[],
  );
}
