import type { Document } from 'bson';
import { update as applyOperators } from 'mingo/updater';
import { MongoError, badValue } from './errors.ts';
import { canonicalKey, cloneDocument, getPath, isPlainObject, setPath } from './documents.ts';
import { equalityConditions } from './planner.ts';
import { compileFilter, mingoOptions } from './filter.ts';
import { runPipeline } from './query.ts';

export type UpdateSpec = Document | Document[];

export interface UpdateContext {
  /** The query that selected the document: resolves the positional `$`. */
  filter: Document;
  arrayFilters?: Document[];
  /** True on the insert branch of an upsert: `$setOnInsert` applies. */
  inserting: boolean;
}

const MODIFIERS = new Set([
  '$set', '$unset', '$inc', '$mul', '$rename', '$setOnInsert', '$min', '$max', '$currentDate',
  '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$bit',
]);

const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);

const immutableId = () => new MongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");

export function isReplacement(update: UpdateSpec): update is Document {
  if (Array.isArray(update)) return false;
  const keys = Object.keys(update);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length > 0 && operators.length < keys.length) {
    throw new MongoError(9, 'an update document must contain either only update operators or no operators at all (a replacement)');
  }
  return operators.length === 0;
}

/** Returns an updated copy of `current` (which is left untouched) and whether anything changed. */
export function applyUpdate(current: Document, update: UpdateSpec, context: UpdateContext): { doc: Document; changed: boolean } {
  const next = Array.isArray(update)
    ? applyPipeline(current, update)
    : isReplacement(update)
      ? applyReplacement(current, update)
      : applyModifier(current, update, context);
  // An upsert's seed may have no _id yet: the update may then set one.
  if (current._id !== undefined && canonicalKey(next._id) !== canonicalKey(current._id)) throw immutableId();
  return { doc: next, changed: canonicalKey(next) !== canonicalKey(current) };
}

/** The document an upsert inserts when nothing matched. */
export function upsertDocument(filter: Document, update: UpdateSpec, arrayFilters: Document[] | undefined): Document {
  const seed = upsertSeed(filter);
  return applyUpdate(seed, update, { filter, arrayFilters, inserting: true }).doc;
}

/** The document an upsert starts from: the filter's equality fields (MongoDB does the same). */
function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  for (const [path, values] of equalityConditions(filter)) {
    if (values.length === 1 && !path.split('.').some((part) => /^\d+$/.test(part))) setPath(seed, path, cloneDocument(values[0]));
  }
  return seed;
}

function applyReplacement(current: Document, replacement: Document): Document {
  if (replacement._id !== undefined && canonicalKey(replacement._id) !== canonicalKey(current._id)) throw immutableId();
  const fields = cloneDocument(replacement);
  delete fields._id;
  return current._id === undefined ? fields : { _id: current._id, ...fields };
}

function applyPipeline(current: Document, pipeline: Document[]): Document {
  const [result] = runPipeline([cloneDocument(current)], pipeline, () => {
    throw badValue('an update pipeline cannot read other collections');
  });
  if (!result) throw badValue('the update pipeline produced no document');
  return result;
}

function applyModifier(current: Document, update: Document, context: UpdateContext): Document {
  const modifier: Document = {};
  const throughProto: [string, string, unknown][] = [];
  for (const [operator, fields] of Object.entries(update)) {
    if (!MODIFIERS.has(operator)) {
      throw new MongoError(9, `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) throw new MongoError(9, `Modifiers operate on fields but we found type ${typeof fields} instead. For example: {$mod: {<field>: ...}} not {${operator}: ${JSON.stringify(fields)}}`);
    const target = operator === '$setOnInsert' ? '$set' : operator;
    if (operator === '$setOnInsert' && !context.inserting) continue;
    const resolved: Document = (modifier[target] ??= {});
    for (const [path, value] of Object.entries(fields)) {
      // connect-mongodb-session sets `_id` to the value it already has: harmless, mingo refuses it.
      if (path === '_id' && target === '$set' && canonicalKey(value) === canonicalKey(current._id)) continue;
      if (path.split('.').includes('__proto__')) {
        if (target !== '$set' && target !== '$unset') throw badValue(`${operator} on '${path}': a path through __proto__ takes only $set and $unset here`);
        throughProto.push([target, path, value]);
        continue;
      }
      const array = operator === '$pull' && !path.includes('$') ? getPath(current, path) : undefined;
      if (Array.isArray(array)) (modifier.$set ??= {})[path] = withoutMatches(array, value);
      else resolved[resolvePositional(path, current, context.filter)] = value;
    }
  }
  checkNumericTargets(current, modifier);
  const next = cloneDocument(current);
  const nonEmpty = Object.fromEntries(Object.entries(modifier).filter(([, fields]) => Object.keys(fields).length > 0));
  if (Object.keys(nonEmpty).length > 0) {
    try {
      applyOperators(next, nonEmpty, context.arrayFilters ?? [], undefined, { queryOptions: mingoOptions });
    } catch (error) {
      if (/immutable field '_id'/.test((error as Error).message)) throw immutableId();
      throw badValue(`invalid update: ${(error as Error).message}`);
    }
  }
  // mingo refuses paths through `__proto__`; to MongoDB it is a field name like any other.
  for (const [operator, path, value] of throughProto) {
    const parts = path.split('.');
    if (operator === '$set') setPath(next, path, cloneDocument(value));
    else delete (parts.length === 1 ? next : (getPath(next, parts.slice(0, -1).join('.')) as Document | undefined) ?? {})[parts.at(-1)!];
  }
  return next;
}

/**
 * `$pull` by the query engine: mingo's own misses conditions such as `{$or: [...]}` on embedded
 * documents. Operators alone (`{$gte: 8}`) test each element; a query tests embedded documents.
 */
function withoutMatches(array: unknown[], condition: unknown): unknown[] {
  if (!isPlainObject(condition)) return array.filter((element) => canonicalKey(element) !== canonicalKey(condition));
  const keys = Object.keys(condition);
  if (keys.length > 0 && keys.every((key) => key.startsWith('$') && !LOGICAL_OPERATORS.has(key))) {
    const matches = compileFilter({ element: condition });
    return array.filter((element) => !matches({ element }));
  }
  const matches = compileFilter(condition);
  return array.filter((element) => !(isPlainObject(element) && matches(element)));
}

/** mingo ignores `$inc: {name: 1}` on a string; MongoDB refuses it, and so do we. */
function checkNumericTargets(current: Document, modifier: Document): void {
  for (const operator of ['$inc', '$mul']) {
    for (const [path, amount] of Object.entries((modifier[operator] ?? {}) as Document)) {
      if (typeof amount !== 'number') throw new MongoError(14, `Cannot ${operator.slice(1)} with non-numeric argument: {${path}: ${JSON.stringify(amount)}}`);
      const existing = getPath(current, path);
      if (existing !== undefined && typeof existing !== 'number') {
        throw new MongoError(14, `Cannot apply ${operator} to a value of non-numeric type. {_id: ${canonicalKey(current._id)}} has the field '${path}' of non-numeric type ${typeof existing}`);
      }
    }
  }
}

/**
 * Replaces the positional `$` in `a.b.$.c` with the index of the first element of the array `a.b`
 * that the query's conditions on `a.b...` match. mingo handles this only for top-level arrays.
 */
function resolvePositional(path: string, doc: Document, filter: Document): string {
  const parts = path.split('.');
  const at = parts.indexOf('$');
  if (at < 0) return path;
  const notFound = () => badValue(`The positional operator did not find the match needed from the query (path '${path}').`);
  const arrayPath = parts.slice(0, at).join('.');
  const array = getPath(doc, arrayPath);
  const conditions = Object.fromEntries(
    Object.entries(filter).filter(([field]) => field === arrayPath || field.startsWith(`${arrayPath}.`)),
  );
  if (!Array.isArray(array) || Object.keys(conditions).length === 0) throw notFound();
  const matches = compileFilter(conditions);
  // Test each element alone by giving the query a document where the array holds just that element.
  const index = array.findIndex((element) => {
    const probe: Document = {};
    setPath(probe, arrayPath, [element]);
    return matches(probe);
  });
  if (index < 0) throw notFound();
  parts[at] = String(index);
  return parts.join('.');
}
