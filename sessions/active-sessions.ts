import type { Request } from 'express';
import type { SessionData } from 'express-session';
import type { HashedIdStore } from './hashed-ids.ts';
import type { LogSessionEvent } from './events.ts';
import { sessionFingerprint, storedSessionFingerprint, storedSessionKey } from './fingerprint.ts';
import { lastSeenAt } from './lifetime.ts';

/** One of the user's sessions as the account page shows it: never the id, only its fingerprint. */
export interface ActiveSession {
  fingerprint: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string;
  isCurrent: boolean;
}

/** The logged-in user's sessions in every browser, so they can end the ones they do not trust. */
export interface ActiveSessions {
  /** Most recently used first. */
  list(req: Request): Promise<ActiveSession[]>;
  /** Ends one of the user's other sessions; false when there is no such session (any more). */
  endOther(req: Request, fingerprint: string): Promise<boolean>;
  /** Ends every session of the user but this one, and says how many there were. */
  endAllOthers(req: Request, reason: string): Promise<number>;
  /** After a login: ends the user's least recently used sessions beyond `maxSessionsPerUser`. */
  endOldest(req: Request): Promise<void>;
}

/**
 * Only a login stores a session, so this bounds what one client can make the store hold: logging
 * in again and again without cookies keeps this many sessions per account, not one per login.
 */
export const maxSessionsPerUser = 10;

/** The store lists sessions by stored key (hashed-ids.ts): `key` below is one, never an id. */
export function createActiveSessions(store: HashedIdStore, log: LogSessionEvent): ActiveSessions {
  const othersOf = async (req: Request) => {
    const { userId } = req.session;
    const sessions = userId === undefined ? [] : Object.entries(await store.sessionsOf(userId));
    const current = storedSessionKey(req.sessionID);
    return sessions.filter(([key]) => key !== current);
  };

  const end = async (key: string, reason: string) => {
    await store.destroyStored(key);
    log('destroyed', { storedKey: key }, { reason });
  };

  return {
    async list(req) {
      const current: ActiveSession = { ...describe(sessionFingerprint(req.sessionID), req.session), lastSeenAt: new Date(), isCurrent: true };
      const others = (await othersOf(req)).map(([key, data]) => ({ ...describe(storedSessionFingerprint(key), data), isCurrent: false }));
      return [current, ...others.sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime())];
    },

    async endOther(req, fingerprint) {
      const match = (await othersOf(req)).find(([key]) => storedSessionFingerprint(key) === fingerprint);
      if (match) await end(match[0], 'ended by the user from another session');
      return match !== undefined;
    },

    async endAllOthers(req, reason) {
      const others = await othersOf(req);
      await Promise.all(others.map(([key]) => end(key, reason)));
      return others.length;
    },

    async endOldest(req) {
      const others = (await othersOf(req)).sort(([, a], [, b]) => lastSeenAt(b.cookie).getTime() - lastSeenAt(a.cookie).getTime());
      await Promise.all(others.slice(maxSessionsPerUser - 1).map(([key]) => end(key, `more than ${maxSessionsPerUser} sessions`)));
    },
  };
}

function describe(fingerprint: string, data: Partial<SessionData> & Pick<SessionData, 'cookie'>): Omit<ActiveSession, 'isCurrent'> {
  return {
    fingerprint,
    createdAt: new Date(data.createdAt ?? 0),
    lastSeenAt: lastSeenAt(data.cookie),
    userAgent: data.userAgent ?? '',
  };
}
