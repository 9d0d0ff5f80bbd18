import type session from 'express-session';

/**
 * What the app asks of a session store beyond express-session's get, set, touch and destroy.
 * Anonymous visitors can call `count` (through /api/session), so it must not read the sessions;
 * `sessionsOf` backs the user's session list and "log out other sessions" through an index.
 */
export interface SessionStore extends session.Store {
  /** How many sessions the store holds, without reading them (expired ones may still count). */
  count(): Promise<number>;
  /** The user's live sessions, keyed by session id. */
  sessionsOf(userId: string): Promise<Record<string, session.SessionData>>;
  close(): Promise<void>;
}

/** The user a session is logged in as, which the stores index it by. */
export function userOf(data: Partial<session.SessionData>): string | undefined {
  return data.isLoggedIn ? data.userId : undefined;
}
