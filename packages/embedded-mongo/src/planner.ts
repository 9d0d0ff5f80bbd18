import { BSONRegExp, type Document } from 'bson';
import { isPlainObject } from './documents.ts';

/**
 * The values each field must equal for a document to match `filter`, read from top-level
 * conditions and `$and`: `{a: v}`, `{a: {$eq: v}}` and `{a: {$in: [...]}}`. Everything else is left
 * to the full filter, which still runs on every candidate: this only narrows where to look.
 */
export function equalityConditions(filter: Document): Map<string, unknown[]> {
  const found = new Map<string, unknown[]>();
  const visit = (conditions: Document) => {
    for (const [field, condition] of Object.entries(conditions)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const part of condition) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (field.startsWith('$')) continue;
      const values = equalityValues(condition);
      // Two conditions on one field (via $and): keep the narrower one; the filter checks both.
      const known = found.get(field);
      if (values && (!known || values.length < known.length)) found.set(field, values);
    }
  };
  visit(filter);
  return found;
}

function equalityValues(condition: unknown): unknown[] | undefined {
  if (isPattern(condition)) return undefined;
  if (!isPlainObject(condition)) return [condition];
  const operators = Object.keys(condition);
  if (!operators.some((key) => key.startsWith('$'))) return [condition];
  if (operators.length !== 1) return undefined;
  if ('$eq' in condition && !isPattern(condition.$eq)) return [condition.$eq];
  if ('$in' in condition && Array.isArray(condition.$in) && !condition.$in.some(isPattern)) return condition.$in;
  return undefined;
}

/** A regular expression in an equality position means "matches", not "equals". */
function isPattern(value: unknown): boolean {
  return value instanceof RegExp || value instanceof BSONRegExp;
}

/** Every combination of one value per field, for compound index lookups; undefined when too many. */
export function combinations(lists: unknown[][], limit = 1000): unknown[][] | undefined {
  let result: unknown[][] = [[]];
  for (const values of lists) {
    result = result.flatMap((prefix) => values.map((value) => [...prefix, value]));
    if (result.length > limit) return undefined;
  }
  return result;
}
