import { Router, type CookieOptions, type RequestHandler } from 'express';
import session from 'express-session';
import { appCookie } from './app-cookie.ts';
import type { Config, SessionStoreName } from '../config.ts';
import { logger } from '../lib/logger.ts';
import type { ShopEvents } from '../lib/shop-events.ts';
import { createActiveSessions, type ActiveSessions } from './active-sessions.ts';
import { MemorySessionStore } from './memory-store.ts';
import type { SessionStore } from './store.ts';
import { HashedIdStore } from './hashed-ids.ts';
import { MongoSessionStore } from './mongo-store.ts';
import { idsLoggingRefusedCookies, sessionEventLog } from './events.ts';
import { createSessionLifetime, type SessionLifetime } from './lifetime.ts';
import type { VisitorState } from './visitor-state.ts';

/** Builds a store on the app's database; the benchmark passes connect-mongo's this way. */
export type SessionStoreFactory = (databaseUri: string) => SessionStore;

// lesson:session-stores:start
export const sessionStores = {
  // Lost on restart, not shared between processes; no timer: an expired session is deleted when it is read.
  memory: () => new MemorySessionStore(),
  // Survives restarts, shared by every instance, expired by a TTL index.
  mongodb: (databaseUri) => new MongoSessionStore({ uri: databaseUri, collection: 'sessions' }),
} satisfies Record<SessionStoreName, SessionStoreFactory>;
// lesson:session-stores:end

/** A generic name tells nobody which framework runs here; __Host- pins it to this host over HTTPS. */
export function sessionCookieName(config: Pick<Config, 'isProduction'>): string {
  return appCookie(config, 'sid').name;
}

export interface Sessions {
  middleware: RequestHandler;
  cookieName: string;
  cookieOptions: CookieOptions;
  /** Read directly by the inspector and the instructor panel, which must not touch a session; keyed by hashed ids. */
  store: HashedIdStore;
  /** Login and logout go through it, so every new or ended session is timed and logged. */
  lifetime: SessionLifetime;
  activeSessions: ActiveSessions;
  close(): Promise<void>;
}

export function createSessions(
  config: Config,
  databaseUri: string,
  events: ShopEvents,
  visitorState: VisitorState,
  createStore: SessionStoreFactory = sessionStores[config.sessionStore],
): Sessions {
  // Whatever the store, it holds only hashes of the ids (S27).
  const store = new HashedIdStore(createStore(databaseUri));
  const cookieName = sessionCookieName(config);
  // lesson:cookie-attributes:start
  const cookieOptions = {
    httpOnly: true, // page scripts (and so injected ones) cannot read the session id
    sameSite: 'lax', // not sent on cross-site POSTs
    secure: config.isProduction, // HTTPS only in production
    path: '/',
  } as const;
  // lesson:cookie-attributes:end
  const log = sessionEventLog(logger, events);
  const lifetime = createSessionLifetime(config.sessionLifetime, visitorState, log);
  return {
    middleware: Router().use(
      // lesson:sessions:start
      session({
        name: cookieName,
        secret: [...config.sessionSecrets], // the first signs, all verify
        store,
        resave: false, // don't save the session if unmodified
        saveUninitialized: false, // don't create a session until something is stored
        rolling: true, // every response moves the expiry on, so it ends after idleMs of silence
        cookie: { ...cookieOptions, maxAge: config.sessionLifetime.idleMs },
        genid: idsLoggingRefusedCookies(cookieName, log),
      }),
      // lesson:sessions:end
      lifetime.middleware,
    ),
    cookieName,
    cookieOptions,
    store,
    lifetime,
    activeSessions: createActiveSessions(store, log),
    close: () => store.close(),
  };
}
