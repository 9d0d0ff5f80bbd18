import { createRequire } from 'node:module';
import type * as Mongo from 'mongodb';

export interface LoadedDriver {
  MongoClient: typeof Mongo.MongoClient;
  version: string;
}

/**
 * Loads the `mongodb` driver that code at `location` (a file path or URL) would get from
 * `require('mongodb')`, so a nested copy (connect-mongodb-session's 6.x) is the one exercised.
 * Typed with the top-level driver's API: the scenarios use only calls both majors share.
 */
export function loadDriverSeenFrom(location: string): LoadedDriver {
  const requireThere = createRequire(location);
  const { MongoClient } = requireThere('mongodb') as typeof Mongo;
  const { version } = requireThere('mongodb/package.json') as { version: string };
  return { MongoClient, version };
}

export function majorVersion(version: string): number {
  return Number(version.split('.')[0]);
}
