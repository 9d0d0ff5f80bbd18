import { EJSON, type Document } from 'bson';

/**
 * Deep copy that keeps BSON classes (ObjectId, Binary, Decimal128...): structuredClone would turn
 * them into plain objects. Those values are immutable in practice, so they are shared.
 */
export function cloneDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDocument) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const copy: Document = {};
    for (const [key, field] of Object.entries(value)) setOwn(copy, key, cloneDocument(field));
    return copy as T;
  }
  return value;
}

/**
 * Sets a field as an own property. A document's `__proto__` key is data like any other, but
 * `doc.__proto__ = value` would replace the object's prototype instead.
 */
export function setOwn(target: Document, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A string that is equal for equal BSON values: the key of every index map. */
export function canonicalKey(value: unknown): string {
  return EJSON.stringify(value === undefined ? null : value, { relaxed: true });
}

/** Value at a dotted path through embedded documents (not arrays); undefined if absent. */
export function getPath(doc: Document, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** Sets a dotted path, creating embedded documents on the way (used to seed upserts). */
export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = doc;
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(current, part) || !isPlainObject(current[part])) setOwn(current, part, {});
    current = current[part] as Document;
  }
  setOwn(current, parts.at(-1)!, value);
}

/** Mongo-shell style rendering used in E11000 messages: `{ email: "x" }`. */
export function formatKeyValue(keyValue: Document): string {
  const parts = Object.entries(keyValue).map(([key, value]) => `${key}: ${formatValue(value)}`);
  return `{ ${parts.join(', ')} }`;
}

function formatValue(value: unknown): string {
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value && typeof value === 'object' && '_bsontype' in value && value._bsontype === 'ObjectId') {
    return `ObjectId('${String(value)}')`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return EJSON.stringify(value, { relaxed: true });
}
