import type { CookieOptions, RequestHandler } from 'express';
import session from 'express-session';
import type { Config, SessionStoreName } from '../config.ts';
import { MongoSessionStore } from './mongo-session-store.ts';

type ClosableStore = session.Store & { close?(): Promise<void> };
/** Builds a store on the app's database; the benchmark passes connect-mongo's this way. */
export type SessionStoreFactory = (databaseUri: string) => ClosableStore;

const sessionStores = {
  // Lost on restart, not shared between processes, never expires what it holds.
  memory: () => new session.MemoryStore(),
  // Survives restarts, shared by every instance, expired by a TTL index.
  mongodb: (databaseUri) => new MongoSessionStore({ uri: databaseUri, collection: 'sessions' }),
} satisfies Record<SessionStoreName, SessionStoreFactory>;

export interface Sessions {
  middleware: RequestHandler;
  cookieName: string;
  cookieOptions: CookieOptions;
  /** Read directly by the inspector and the instructor panel, which must not touch a session. */
  store: session.Store;
  close(): Promise<void>;
}

export function createSessions(
  config: Config,
  databaseUri: string,
  createStore: SessionStoreFactory = sessionStores[config.sessionStore],
): Sessions {
  const store = createStore(databaseUri);
  // A generic name tells nobody which framework runs here; __Host- pins it to this host over HTTPS.
  const cookieName = config.isProduction ? '__Host-sid' : 'sid';
  const cookieOptions = {
    httpOnly: true, // page scripts (and so injected ones) cannot read the session id
    sameSite: 'lax', // not sent on cross-site POSTs
    secure: config.isProduction, // HTTPS only in production
    path: '/',
  } as const;
  return {
    middleware: session({
      name: cookieName,
      secret: [...config.sessionSecrets], // the first signs, all verify
      store,
      resave: false, // don't save the session if unmodified
      saveUninitialized: false, // don't create a session until something is stored
      cookie: cookieOptions,
    }),
    cookieName,
    cookieOptions,
    store,
    close: async () => {
      await store.close?.();
    },
  };
}
