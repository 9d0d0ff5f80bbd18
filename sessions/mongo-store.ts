import session from 'express-session';
import connectMongoDBSession from 'connect-mongodb-session';
import type { Request } from 'express';
import { RecentEntries } from '../lib/recent-entries.ts';
import { databaseReachable, databaseUnreachable } from '../lib/database-outage.ts';
import { mongoClientOptions } from '../lib/mongo-client-options.ts';
import { SavedSessions } from './revocation.ts';
import { userOf, type SessionStore } from './store.ts';

const MongoDBStore = connectMongoDBSession(session);

export interface MongoSessionStoreOptions {
  uri: string;
  collection?: string;
  /** How long an operation waits for an unreachable database before it fails. */
  serverSelectionTimeoutMS?: number;
  /**
   * A session that is only read gets its expiry moved (a write, journaled before the reply) at most
   * this often, and at most every tenth of its cookie's maxAge, so a short idle limit stays precise.
   * The price: a session can end that much before its idle limit.
   */
  touchAfterMs?: number;
}

/** A session operation failed because of the database; the message never carries the session id. */
export class SessionStoreError extends Error {
  override name = 'SessionStoreError';
}

type Callback<T> = (error: SessionStoreError | null, value?: T) => void;

/**
 * connect-mongodb-session with its gaps closed:
 * - `touch`, so `resave: false` still moves the expiry of a session that is only read, but not
 *   on every request (like connect-mongo's `touchAfter`);
 * - `all`, which upstream hands a callback to driver 6's promise-only `toArray` and never answers;
 * - an unreachable database is logged (once per outage) instead of crashing the process, operations fail within
 *   `serverSelectionTimeoutMS` instead of hanging, and the store connects again once it is back
 *   (upstream connects once, and its driver keeps failing on the closed connection forever);
 * - errors name the failed operation only: upstream puts the session id and the whole session
 *   (user id, CSRF token) into the message, which then lands in the error log;
 * - `set` upserts only a brand-new session: a save of one that has ended does not bring it back
 *   (see sessions/revocation.ts);
 * - the user a session is logged in as is stored beside it, indexed, so a user's sessions are
 *   found without reading everyone's; the count asks the collection's size.
 */
export class MongoSessionStore extends MongoDBStore implements SessionStore {
  #connected: Promise<boolean>;
  readonly #touchAfterMs: number;
  /** The stored expiry of recently read sessions, so a touch with nothing to write asks nothing. */
  readonly #knownExpiry = new RecentEntries<string, Date>(10_000);
  readonly #saved = new SavedSessions();

  constructor({ uri, collection = 'sessions', serverSelectionTimeoutMS = mongoClientOptions.serverSelectionTimeoutMS, touchAfterMs = 60_000 }: MongoSessionStoreOptions) {
    // The callback keeps upstream from throwing the connection error where nothing can catch it.
    super({ uri, collection, connectionOptions: { ...mongoClientOptions, serverSelectionTimeoutMS } }, (error) => {
      if (error) databaseUnreachable(error);
    });
    this.#connected = this.initialConnectionPromise.then((client) => client !== undefined && this.#createIndexes());
    this.#touchAfterMs = touchAfterMs;
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.#run('read the session', callback, async () => {
      const found = await this.collection.findOne({ _id: sid });
      this.#knownExpiry.delete(sid);
      if (!found) return null;
      // The TTL monitor runs only now and then: an expired session must not come back meanwhile.
      if (found.expires <= new Date()) {
        await this.collection.deleteOne({ _id: sid });
        return null;
      }
      this.#knownExpiry.set(sid, found.expires);
      return found.session;
    });
  }

  override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
    return this.#saved.remember(super.createSession(req, data));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback<void>): void {
    const userId = userOf(data);
    const fields = { session: asJson(data), expires: expiryOf(data) };
    const update = userId === undefined ? { $set: fields, $unset: { userId: '' as const } } : { $set: { ...fields, userId } };
    const mayOnlyUpdate = this.#saved.mayOnlyUpdate(data);
    this.#saved.remember(data);
    this.#run('save the session', callback, async () => {
      if (!mayOnlyUpdate) await this.collection.updateOne({ _id: sid }, update, { upsert: true });
      // Not once it has expired either: get() would refuse it, so it has ended.
      else await this.collection.updateOne({ _id: sid, expires: { $gt: new Date() } }, update);
    });
  }

  // Only the expiry moves: a request that merely read the session must not overwrite what a
  // concurrent request has just saved (a login, a cart).
  override touch(sid: string, data: session.SessionData, callback?: Callback<void>): void {
    const expires = expiryOf(data);
    const touchAfterMs = Math.min(this.#touchAfterMs, (data.cookie.originalMaxAge ?? Infinity) / 10);
    const writeBefore = new Date(expires.getTime() - touchAfterMs);
    // Stored expiries only move forward, so one that get() saw recently enough still holds.
    const known = this.#knownExpiry.get(sid);
    if (known && known >= writeBefore) {
      process.nextTick(() => callback?.(null));
      return;
    }
    this.#run('extend the session', callback, async () => {
      // Matches only an expiry more than touchAfterMs behind; otherwise nothing is written.
      const { modifiedCount } = await this.collection.updateOne(
        { _id: sid, expires: { $lt: writeBefore } },
        { $set: { 'session.cookie': asJson(data.cookie), expires } },
      );
      if (modifiedCount === 1) this.#knownExpiry.set(sid, expires);
    });
  }

  override destroy(sid: string, callback?: Callback<void>): void {
    this.#knownExpiry.delete(sid);
    this.#run('delete the session', callback, async () => {
      await this.collection.deleteOne({ _id: sid });
    });
  }

  /** Every live session, keyed by session id (as express-session's MemoryStore answers). */
  override all(callback: Callback<Record<string, session.SessionData>>): void {
    this.#run('list the sessions', callback, async () => {
      const live = await this.collection.find({ expires: { $gt: new Date() } }).toArray();
      return Object.fromEntries(live.map((found) => [found._id, found.session]));
    });
  }

  count(): Promise<number> {
    return this.#ask('count the sessions', () => this.collection.estimatedDocumentCount());
  }

  sessionsOf(userId: string): Promise<Record<string, session.SessionData>> {
    return this.#ask('list the user\'s sessions', async () => {
      const live = await this.collection.find({ userId, expires: { $gt: new Date() } }).toArray();
      return Object.fromEntries(live.map((found) => [found._id, found.session]));
    });
  }

  async close(): Promise<void> {
    await this.#connected; // a stop right after the start lets the first connection finish: closing it midway logs a false alarm
    await this.client.close();
  }

  /** Runs `work` once connected and answers `callback` outside the promise chain, like upstream. */
  #run<T>(operation: string, callback: Callback<T> | undefined, work: () => Promise<T>): void {
    this.#whenConnected()
      .then(work)
      .then(
        (value) => process.nextTick(() => callback?.(null, value)),
        (error: unknown) => {
          const failure = new SessionStoreError(`Session store could not ${operation}: ${messageOf(error)}`, { cause: error });
          process.nextTick(() => callback?.(failure));
        },
      );
  }

  #ask<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#run(operation, (error, value) => (error ? reject(error) : resolve(value as T)), work);
    });
  }

  /** Connects again if the last attempt failed; concurrent operations share one attempt. */
  async #whenConnected(): Promise<void> {
    const attempt = this.#connected;
    if (await attempt) return;
    if (this.#connected === attempt) this.#connected = this.#reconnect();
    if (!(await this.#connected)) throw new Error('the database is unreachable');
  }

  async #reconnect(): Promise<boolean> {
    try {
      await this.client.connect();
    } catch (error) {
      databaseUnreachable(error);
      return false;
    }
    databaseReachable();
    return this.#createIndexes();
  }

  /** Upstream creates the TTL index only after its first successful connection. */
  async #createIndexes(): Promise<boolean> {
    try {
      await this.collection.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
      await this.collection.createIndex({ userId: 1 });
      return true;
    } catch (error) {
      databaseUnreachable(error);
      return false;
    }
  }
}

/** Stored as JSON, like MemoryStore does, so both stores hand back the same values. */
function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Sessions without a cookie expiry (browser-session cookies) still need one for the TTL index. */
function expiryOf(data: session.SessionData): Date {
  const twoWeeks = 14 * 24 * 60 * 60 * 1000;
  return data.cookie.expires ? new Date(data.cookie.expires) : new Date(Date.now() + twoWeeks);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
