import type { Document } from 'bson';
import { Context } from 'mingo';
import * as accumulator from 'mingo/operators/accumulator';
import * as expression from 'mingo/operators/expression';
import * as pipeline from 'mingo/operators/pipeline';
import * as projection from 'mingo/operators/projection';
import * as query from 'mingo/operators/query';
import * as window from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { MongoError, badValue } from './errors.ts';
import { isPlainObject } from './documents.ts';
import { budgeted } from './time-limit.ts';
import { linearPatternExpressions, linearPatternOperators } from './patterns.ts';

/*
 * mingo as the server runs it (its operators, budgeted and with linear-time patterns; MongoDB's
 * error wording) and filters compiled with it: what queries, projections, updates and indexes share.
 */

const GEO_OPERATORS = ['$near', '$nearSphere', '$geoWithin', '$geoIntersects'];

/** Operators that need a 2d/2dsphere index: accepted and listed, never searched. */
function notSearchable(operator: string) {
  return (): never => {
    throw new MongoError(115, `${operator} is not supported by the embedded server: it accepts and lists 2d and 2dsphere indexes but cannot search them`);
  };
}

/**
 * All of mingo's operators, with regular expressions matched in linear time, each checking the
 * command's time budget as it runs. Built here, not through mingo's default exports, which always
 * put their own operators first.
 */
const context = Context.init({
  accumulator: budgeted(accumulator),
  expression: budgeted({ ...expression, ...linearPatternExpressions }),
  pipeline: budgeted({ ...pipeline, $geoNear: notSearchable('$geoNear') }),
  projection: budgeted(projection),
  window: budgeted(window),
  query: budgeted({ ...query, ...linearPatternOperators, ...Object.fromEntries(GEO_OPERATORS.map((name) => [name, notSearchable(name)])) }),
});

/** Client-sent JavaScript ($where, $function, $accumulator) never runs inside the server. */
export const mingoOptions: Partial<Options> = { scriptEnabled: false, context };

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
    if (error instanceof MongoError) throw error; // ours, already worded for the client
    const message = (error as Error).message;
    const known = MONGODB_WORDING.find(([pattern]) => pattern.test(message));
    throw badValue(known ? message.replace(known[0], known[1]) : `${what}: ${message}`);
  }
}

export type Matcher = (doc: Document) => boolean;

export function compileFilter(filter: Document | undefined): Matcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  if ('$text' in filter) throw new MongoError(27, 'text index required for $text query: the embedded server accepts and lists text indexes but cannot search them');
  const query = withMingo('invalid filter', () => new Query(withDbRefFields(filter) as Document, mingoOptions));
  return (doc) => withMingo('invalid filter', () => query.test(doc));
}

/** DBRefs arrive as the driver's DBRef objects, whose `$ref`, `$id` and `$db` are named collection, oid and db. */
const DBREF_FIELDS: Record<string, string> = { $ref: 'collection', $id: 'oid', $db: 'db' };

function withDbRefFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withDbRefFields);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key.split('.').map((part) => DBREF_FIELDS[part] ?? part).join('.'), withDbRefFields(field)]),
  );
}
