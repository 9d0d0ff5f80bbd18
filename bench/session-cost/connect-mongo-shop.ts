import { promisify } from 'node:util';
import MongoStore from 'connect-mongo';
import type { SessionStore } from '../../sessions/store.ts';
import { main } from '../../server.ts';

/*
 * The shop with connect-mongo, the store most tutorials pick, in place of ours: same app, same
 * database, same settings, and connect-mongo's defaults (it moves the expiry on every request).
 */
await main({ sessionStore: (databaseUri) => withReports(MongoStore.create({ mongoUrl: databaseUri, collectionName: 'sessions' })) });

/** What the shop asks of every store. connect-mongo keeps no user beside a session; the benchmark never lists a user's sessions. */
function withReports(store: MongoStore): SessionStore {
  return Object.assign(store, {
    count: () => promisify(store.length.bind(store))(),
    sessionsOf: () => Promise.reject(new Error('connect-mongo cannot find the sessions of a user')),
  });
}
