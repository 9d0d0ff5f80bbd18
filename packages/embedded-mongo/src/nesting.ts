import type { Document } from 'bson';
import { MongoError } from './errors.ts';
import { isPlainObject } from './documents.ts';

/**
 * How deep a command may nest objects and arrays below its top level. mongod validates every
 * OP_MSG section it reads (rpc/op_msg.cpp, `Validated<BSONObj>`) against `maxBSONDepth`,
 * BSONDepth::kDefaultMaxAllowableDepth = 200, and refuses a deeper one with Overflow (15)
 * "BSONObj exceeds maximum nested object depth" (bson/bson_validate.cpp) before any command runs.
 * It also bounds what evaluation recurses through: `$and` 2,000 deep took mingo seconds to compile.
 * (MongoDB's query parser has its own limit, kMaximumTreeDepth = 100, that a command within 200
 * BSON levels cannot reach: each `$and`/`$or`/`$elemMatch` level costs two.)
 */
export const MAX_BSON_DEPTH = 200;

export function checkNesting(command: Document): void {
  if (nestsDeeperThan(command, MAX_BSON_DEPTH)) throw new MongoError(15, 'BSONObj exceeds maximum nested object depth');
}

// Recursion is itself bounded: it stops MAX_BSON_DEPTH levels down.
function nestsDeeperThan(value: Document | unknown[], levels: number): boolean {
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (!Array.isArray(child) && !isPlainObject(child)) continue;
    if (levels === 0 || nestsDeeperThan(child, levels - 1)) return true;
  }
  return false;
}
