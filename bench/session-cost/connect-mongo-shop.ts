import { promisify } from 'node:util';
import MongoStore from 'connect-mongo';
import type { SessionData } from 'express-session';
import { userOf, type SessionStore } from '../../sessions/store.ts';
import { main } from '../../server.ts';

/*
 * The shop with connect-mongo, the store most tutorials pick, in place of ours: same app, same
 * database, same settings, and connect-mongo's defaults (it moves the expiry on every request).
 */
await main({ sessionStore: (databaseUri) => withReports(MongoStore.create({ mongoUrl: databaseUri, collectionName: 'sessions' })) });

/** What the shop asks of every store. connect-mongo keeps no user beside a session, so a login's look for the user's sessions reads them all. */
function withReports(store: MongoStore): SessionStore {
  return Object.assign(store, {
    count: () => promisify(store.length.bind(store))(),
    sessionsOf: async (userId: string) => {
      const stored = await (await store.collectionP).find({ expires: { $gt: new Date() } }).toArray();
      // connect-mongo stores each session as JSON text.
      const sessions = stored.map(({ _id, session }) => [_id, JSON.parse(String(session)) as SessionData] as const);
      return Object.fromEntries(sessions.filter(([, data]) => userOf(data) === userId));
    },
  });
}
