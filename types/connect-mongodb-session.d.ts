// connect-mongodb-session ships no types, and @types/connect-mongodb-session pins an old driver.
// This declares only what sessions/mongo-store.ts uses. The package runs its own
// nested driver 6.x; the driver types come from our top-level `mongodb`, whose MongoClient and
// Collection calls used here have the same shape.
declare module 'connect-mongodb-session' {
  import type session from 'express-session';
  import type { Collection, MongoClient, MongoClientOptions } from 'mongodb';

  namespace connectMongoDBSession {
    interface MongoDBStoreOptions {
      uri: string;
      /** Default 'sessions'. */
      collection?: string;
      connectionOptions?: MongoClientOptions;
    }

    /** How the store lays out one session in the collection. */
    interface SessionDocument {
      _id: string;
      session: session.SessionData;
      /** The TTL index on this field deletes the document once it is in the past. */
      expires: Date;
      /** Added by our MongoSessionStore: the logged-in user, indexed. */
      userId?: string;
    }

    class MongoDBStore extends session.Store {
      /**
       * Starts connecting and creating the TTL index at once. `callback` receives the
       * connection error; without a callback that error is thrown from a promise and
       * crashes the process.
       */
      constructor(options: MongoDBStoreOptions, callback?: (error?: Error) => void);
      readonly client: MongoClient;
      readonly collection: Collection<SessionDocument>;
      /** Resolves to the client once connected, or to undefined if connecting failed. */
      readonly initialConnectionPromise: Promise<MongoClient | undefined>;
      get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void;
      set(sid: string, session: session.SessionData, callback?: (error?: unknown) => void): void;
      destroy(sid: string, callback?: (error?: unknown) => void): void;
    }
  }

  function connectMongoDBSession(
    connect: typeof session,
  ): typeof connectMongoDBSession.MongoDBStore;

  export = connectMongoDBSession;
}
