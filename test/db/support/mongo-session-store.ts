import { createRequire } from 'node:module';
import session from 'express-session';
import type { Collection } from 'mongodb';

export interface StoredSession {
  _id: string;
  session: Record<string, unknown>;
  expires: Date;
}

/** The parts of connect-mongodb-session's store the tests use; the package ships no types. */
export interface MongoSessionStore extends session.Store {
  /** Its own driver's collection (6.x); the API used here is the same in 7.x. */
  collection: Collection<StoredSession>;
  client: { close(): Promise<void> };
}

type MongoDBStoreClass = new (
  options: { uri: string; collection: string },
  onConnected: (error?: Error) => void,
) => MongoSessionStore;

const connectMongoDBSession = createRequire(import.meta.url)('connect-mongodb-session') as (
  connect: typeof session,
) => MongoDBStoreClass;

/** A connect-mongodb-session store on the `sessions` collection, resolved once it is connected and indexed. */
export function openMongoSessionStore(uri: string): Promise<MongoSessionStore> {
  const MongoDBStore = connectMongoDBSession(session);
  return new Promise((resolve, reject) => {
    const store = new MongoDBStore({ uri, collection: 'sessions' }, (error) => (error ? reject(error) : resolve(store)));
  });
}
