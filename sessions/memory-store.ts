import type { Request } from 'express';
import session from 'express-session';
import { SavedSessions } from './revocation.ts';
import { userOf, type SessionStore } from './store.ts';

type Callback<T> = (error: null, value?: T) => void;

/**
 * Sessions as JSON in a Map inside this process, as express-session's MemoryStore keeps them:
 * lost on restart, unknown to any other process, an expired one deleted only when it is read.
 * Beyond MemoryStore: a save of a session that has ended does not bring it back (see
 * revocation.ts), and each user's session ids are indexed.
 */
export class MemorySessionStore extends session.Store implements SessionStore {
  readonly #sessions = new Map<string, { json: string; userId: string | undefined }>();
  readonly #idsByUser = new Map<string, Set<string>>();
  readonly #saved = new SavedSessions();

  override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
    return this.#saved.remember(super.createSession(req, data));
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    const found = this.#read(sid);
    setImmediate(() => callback(null, found));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback<void>): void {
    if (!this.#saved.mayOnlyUpdate(data) || this.#read(sid)) this.#write(sid, data);
    this.#saved.remember(data);
    if (callback) setImmediate(() => callback(null));
  }

  // Only the expiry moves: a request that merely read the session must not overwrite what a
  // concurrent request has just saved.
  override touch(sid: string, data: session.SessionData, callback?: Callback<void>): void {
    const found = this.#read(sid);
    if (found) this.#write(sid, { ...found, cookie: data.cookie });
    if (callback) setImmediate(() => callback(null));
  }

  override destroy(sid: string, callback?: Callback<void>): void {
    this.#delete(sid);
    if (callback) setImmediate(() => callback(null));
  }

  override all(callback: Callback<Record<string, session.SessionData>>): void {
    const live = this.#live(this.#sessions.keys());
    setImmediate(() => callback(null, live));
  }

  async count(): Promise<number> {
    return this.#sessions.size;
  }

  async sessionsOf(userId: string): Promise<Record<string, session.SessionData>> {
    return this.#live(this.#idsByUser.get(userId) ?? []);
  }

  async close(): Promise<void> {}

  #live(ids: Iterable<string>): Record<string, session.SessionData> {
    return Object.fromEntries([...ids].flatMap((sid) => {
      const found = this.#read(sid);
      return found ? [[sid, found] as const] : [];
    }));
  }

  /** The session stored under `sid`; an expired one is deleted instead. */
  #read(sid: string): session.SessionData | null {
    const stored = this.#sessions.get(sid);
    if (!stored) return null;
    const found = JSON.parse(stored.json) as session.SessionData;
    if (found.cookie.expires && new Date(found.cookie.expires) <= new Date()) {
      this.#delete(sid);
      return null;
    }
    return found;
  }

  #write(sid: string, data: session.SessionData): void {
    this.#delete(sid);
    const userId = userOf(data);
    this.#sessions.set(sid, { json: JSON.stringify(data), userId });
    if (userId !== undefined) this.#idsByUser.set(userId, (this.#idsByUser.get(userId) ?? new Set()).add(sid));
  }

  #delete(sid: string): void {
    const userId = this.#sessions.get(sid)?.userId;
    this.#sessions.delete(sid);
    if (userId === undefined) return;
    const ids = this.#idsByUser.get(userId);
    ids?.delete(sid);
    if (ids?.size === 0) this.#idsByUser.delete(userId);
  }
}
