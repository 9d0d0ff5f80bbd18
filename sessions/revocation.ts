/**
 * An ended session stays ended (S20). A request that loaded a session before another request
 * ended it (logout, a password change, "log out other sessions", the instructor, expiry, the new
 * id a login gets) still holds its copy, and express-session saves that copy when the request
 * finishes. A store that wrote it as it came would bring the ended session back.
 *
 * So both stores follow one rule: a session object that came from the store, or that the store
 * has saved once, may only update a record the store still holds; only a brand-new session object,
 * whose id is fresh and random, creates one. The rule needs no record of ended ids, so it holds for
 * every process sharing a database.
 */
export class SavedSessions {
  readonly #known = new WeakSet<object>();

  /** The store read this session object (Store.createSession) or has just written it. */
  remember<T extends object>(session: T): T {
    this.#known.add(session);
    return session;
  }

  /** True when saving this object must not create a record that is not there (any more). */
  mayOnlyUpdate(session: object): boolean {
    return this.#known.has(session);
  }
}
