import type { Request } from 'express';
import session from 'express-session';
import { SavedSessions } from './saved-sessions.ts';

type Callback<T> = (error: null, value?: T) => void;

/**
 * Sessions as JSON in a Map inside this process, as express-session's MemoryStore keeps them:
 * lost on restart, unknown to any other process. Unlike MemoryStore, a save of a session that
 * has ended does not bring it back (see saved-sessions.ts).
 */
export class MemorySessionStore extends session.Store {
  readonly #sessions = new Map<string, string>();
  readonly #saved = new SavedSessions();

  override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
    return this.#saved.remember(super.createSession(req, data));
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    const found = this.#read(sid);
    setImmediate(() => callback(null, found));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback<void>): void {
    if (!this.#saved.mayOnlyUpdate(data) || this.#read(sid)) this.#sessions.set(sid, JSON.stringify(data));
    this.#saved.remember(data);
    if (callback) setImmediate(() => callback(null));
  }

  // Only the expiry moves: a request that merely read the session must not overwrite what a
  // concurrent request has just saved.
  override touch(sid: string, data: session.SessionData, callback?: Callback<void>): void {
    const found = this.#read(sid);
    if (found) this.#sessions.set(sid, JSON.stringify({ ...found, cookie: data.cookie }));
    if (callback) setImmediate(() => callback(null));
  }

  override destroy(sid: string, callback?: Callback<void>): void {
    this.#sessions.delete(sid);
    if (callback) setImmediate(() => callback(null));
  }

  /** Every live session, keyed by session id. */
  override all(callback: Callback<Record<string, session.SessionData>>): void {
    const live = [...this.#sessions.keys()].flatMap((sid) => {
      const found = this.#read(sid);
      return found ? [[sid, found] as const] : [];
    });
    setImmediate(() => callback(null, Object.fromEntries(live)));
  }

  /** The session stored under `sid`; an expired one is deleted instead. */
  #read(sid: string): session.SessionData | null {
    const json = this.#sessions.get(sid);
    if (json === undefined) return null;
    const found = JSON.parse(json) as session.SessionData;
    if (found.cookie.expires && new Date(found.cookie.expires) <= new Date()) {
      this.#sessions.delete(sid);
      return null;
    }
    return found;
  }
}
