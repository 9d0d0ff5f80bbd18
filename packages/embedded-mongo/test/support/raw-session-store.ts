import connectMongoDBSession from 'connect-mongodb-session';
import session from 'express-session';

const MongoDBStore = connectMongoDBSession(session);

export type MongoSessionStore = InstanceType<typeof MongoDBStore>;

/**
 * connect-mongodb-session used directly, not through the app's middleware: a store on the
 * `sessions` collection, resolved once it is connected and has created its TTL index.
 */
export function openMongoSessionStore(uri: string): Promise<MongoSessionStore> {
  return new Promise((resolve, reject) => {
    const store = new MongoDBStore({ uri, collection: 'sessions' }, (error) => (error ? reject(error) : resolve(store)));
  });
}
