import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { Logger } from '../lib/logger.ts';
import type { SessionEvent, ShopEvents } from '../lib/shop-events.ts';
import { sessionFingerprint, storedSessionFingerprint } from './fingerprint.ts';

export interface SessionEventDetails {
  reason?: string;
  previousId?: string;
  /** The request it happened in, for listeners; never logged. */
  req?: Request;
}

/** A session by its id, or by the key a store lists it under (a session ended from a list). */
export type SessionName = string | { storedKey: string };

export type LogSessionEvent = (event: SessionEvent, session: SessionName, details?: SessionEventDetails) => void;

/**
 * Logs each session event and announces it to the app's listeners. An event named by its stored
 * key is only logged: listeners match events against the id in a request's cookie.
 */
export function sessionEventLog(logger: Logger, events: ShopEvents): LogSessionEvent {
  return (event, session, { reason, previousId, req } = {}) => {
    // Anyone who can read the logs could log in with a raw id (ASVS 5.0 16.2.5): only its hash goes in.
    logger.info(
      {
        session: typeof session === 'string' ? sessionFingerprint(session) : storedSessionFingerprint(session.storedKey),
        previous: previousId === undefined ? undefined : sessionFingerprint(previousId),
        reason,
      },
      `session.${event}`,
    );
    if (typeof session === 'string') events.emit('session', { event, sessionId: session, req, reason, previousId });
  };
}

/**
 * express-session's `genid`: it is called whenever a request gets a new session, and at that
 * moment req.sessionID still holds what the cookie carried (verified once, by express-session).
 * So a new session for a request that sent a sid cookie tells why: an id whose signature failed
 * (none was taken from the cookie), or a signed id the store does not have. A regenerate (login,
 * expiry) replaces a session that was found, and logs itself.
 */
export function idsLoggingRefusedCookies(cookieName: string, log: LogSessionEvent): (req: Request) => string {
  return (req) => {
    const replacing = (req as { session?: unknown }).session !== undefined;
    const cookieId = (req as { sessionID?: string }).sessionID;
    const sent = replacing || cookieId !== undefined ? undefined : cookieValue(req.headers.cookie, cookieName);
    if (!replacing && cookieId !== undefined) log('unknown-id', cookieId, { req });
    if (sent !== undefined) log('rejected-signature', sent, { req });
    return randomBytes(24).toString('base64url'); // 192 random bits, as express-session's own ids
  };
}

/** The first value of one cookie in a Cookie header, decoded as express-session decodes it. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  const raw = new RegExp(`(?:^|;)\\s*${name}=([^;]*)`).exec(header ?? '')?.[1]?.trim();
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // malformed escapes: express-session keeps the raw text too
  }
}
