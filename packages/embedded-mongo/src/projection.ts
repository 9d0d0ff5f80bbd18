import type { Document } from 'bson';
import { badValue } from './errors.ts';
import { getPath, isPlainObject, setPath } from './documents.ts';
import { compileFilter } from './filter.ts';

/** A projection's `$slice` and `$elemMatch` fields, which mingo cannot mix with exclusions. */
type ArrayOperator = (array: unknown[]) => unknown[] | undefined;

/**
 * Splits off the array operators of a projection and applies them to documents the caller owns.
 * What is left is a plain inclusion or exclusion projection. `$elemMatch` counts as an inclusion,
 * `$slice` as neither, as in MongoDB: `{comments: {$slice: -2}}` alone keeps every other field.
 */
export function applyArrayOperators(docs: Document[], projection: Document): Document {
  const operators = new Map<string, ArrayOperator>();
  const rest: Document = {};
  let includes = false;
  for (const [field, spec] of Object.entries(projection)) {
    if (isPlainObject(spec) && '$slice' in spec) operators.set(field, slicer(spec.$slice));
    else if (isPlainObject(spec) && '$elemMatch' in spec) {
      operators.set(field, firstMatch(spec.$elemMatch));
      includes = true;
    } else {
      rest[field] = spec;
      includes ||= field !== '_id' && spec !== 0 && spec !== false;
    }
  }
  if (operators.size === 0) return projection;
  for (const doc of docs) {
    for (const [field, operator] of operators) {
      const value = getPath(doc, field);
      if (!Array.isArray(value)) continue;
      const result = operator(value);
      if (result) setPath(doc, field, result);
      else delete doc[field];
    }
  }
  if (includes) for (const field of operators.keys()) rest[field] = 1;
  return rest;
}

function slicer(spec: unknown): ArrayOperator {
  const [skip, limit] = Array.isArray(spec) ? spec : [undefined, spec];
  if (typeof limit !== 'number' || (skip !== undefined && typeof skip !== 'number') || (skip !== undefined && limit <= 0)) {
    throw badValue(`$slice takes a number or [skip, limit] with a positive limit, got ${JSON.stringify(spec)}`);
  }
  if (skip === undefined) return (array) => (limit < 0 ? array.slice(limit) : array.slice(0, limit));
  return (array) => {
    const start = skip < 0 ? Math.max(0, array.length + skip) : skip;
    return array.slice(start, start + limit);
  };
}

function firstMatch(condition: unknown): ArrayOperator {
  if (!isPlainObject(condition)) throw badValue('$elemMatch in a projection takes a document');
  const matches = compileFilter({ element: { $elemMatch: condition } });
  return (array) => {
    const found = array.find((element) => matches({ element: [element] }));
    return found === undefined ? undefined : [found];
  };
}
