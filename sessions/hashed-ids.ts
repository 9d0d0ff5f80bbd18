import { promisify } from 'node:util';
import type { Request } from 'express';
import session from 'express-session';
import { storedSessionKey } from './fingerprint.ts';
import type { SessionStore } from './store.ts';

type Callback<T> = (error: unknown, value?: T) => void;

/**
 * S27: wraps any session store so that it keys each session by storedSessionKey(id), the hash of
 * the id, never by the id. express-session hands every store method the id from the cookie; this
 * hashes it on the way in, in one place, so every store (and any future one) gets it. A copy of the
 * store then holds no cookie value: sent as a sid cookie, a stored key is hashed again and found
 * nowhere.
 *
 * Lists (all, sessionsOf) answer with stored keys, as the store holds them; to end a listed
 * session, destroyStored takes that key as it is (destroy would hash it a second time and miss).
 */
export class HashedIdStore extends session.Store implements SessionStore {
  readonly #store: SessionStore;

  constructor(store: SessionStore) {
    super();
    this.#store = store;
    // express-session pauses while the store says it is disconnected.
    for (const event of ['connect', 'disconnect']) store.on(event, () => this.emit(event));
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.#store.get(storedSessionKey(sid), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: Callback<void>): void {
    this.#store.set(storedSessionKey(sid), data, callback);
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback<void>): void {
    // Typed without the error our stores pass on: handed over as it is.
    if (this.#store.touch) this.#store.touch(storedSessionKey(sid), data, callback as () => void);
    else callback?.(null);
  }

  override destroy(sid: string, callback?: Callback<void>): void {
    this.#store.destroy(storedSessionKey(sid), callback);
  }

  // The store's own: ours remember which session objects came from them (revocation.ts).
  override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
    return this.#store.createSession(req, data);
  }

  /** Every live session, keyed by its stored key. */
  override all(callback: Callback<Record<string, session.SessionData>>): void {
    if (this.#store.all) this.#store.all(callback as Callback<session.SessionData[] | Record<string, session.SessionData> | null>);
    else callback(new Error('This session store cannot list its sessions.'));
  }

  /** The user's live sessions, keyed by their stored keys. */
  sessionsOf(userId: string): Promise<Record<string, session.SessionData>> {
    return this.#store.sessionsOf(userId);
  }

  /** Ends the session stored under `key`, a key from all() or sessionsOf(). */
  destroyStored(key: string): Promise<void> {
    return promisify(this.#store.destroy.bind(this.#store))(key);
  }

  count(): Promise<number> {
    return this.#store.count();
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}
