import MongoStore from 'connect-mongo';
import { main } from '../../server.ts';

/*
 * The shop with connect-mongo, the store most tutorials pick, in place of ours: same app, same
 * database, same settings, and connect-mongo's defaults (it moves the expiry on every request).
 */
await main({ sessionStore: (databaseUri) => MongoStore.create({ mongoUrl: databaseUri, collectionName: 'sessions' }) });
