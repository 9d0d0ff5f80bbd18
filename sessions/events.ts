import cookieParser from 'cookie-parser';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../lib/logger.ts';
import type { ShopEvents } from '../lib/shop-events.ts';
import { sessionFingerprint } from './fingerprint.ts';

export type SessionEvent =
  | 'regenerated' // login: a new id replaces the previous one (only a login stores a session)
  | 'destroyed' // logout, or ended from another session
  | 'expired' // idle or absolute limit
  | 'rejected-signature' // a sid cookie that is unsigned or signed with no secret of ours
  | 'unknown-id'; // correctly signed, but the store does not have it: expired, ended or never saved

export interface SessionEventDetails {
  reason?: string;
  previousId?: string;
  /** The request it happened in, for listeners; never logged. */
  req?: Request;
}

export type LogSessionEvent = (event: SessionEvent, sessionId: string, details?: SessionEventDetails) => void;

/** Logs each session event and announces it to the app's listeners. */
export function sessionEventLog(logger: Logger, events: ShopEvents): LogSessionEvent {
  return (event, sessionId, { reason, previousId, req } = {}) => {
    // Anyone who can read the logs could log in with a raw id (ASVS 5.0 16.2.5): only its hash goes in.
    logger.info(
      {
        session: sessionFingerprint(sessionId),
        previous: previousId === undefined ? undefined : sessionFingerprint(previousId),
        reason,
      },
      `session.${event}`,
    );
    events.emit('session', { event, sessionId, req, reason, previousId });
  };
}

/** Runs after express-session: logs a sid cookie it refused, or one whose session is gone. */
export function logRefusedSessionCookies(cookieName: string, secrets: readonly string[], log: LogSessionEvent): RequestHandler {
  return (req, _res, next) => {
    const sent = cookieValue(req.headers.cookie, cookieName);
    if (sent !== undefined) {
      // express-session ignores a value without the `s:` prefix, so that counts as unsigned too.
      const id = sent.startsWith('s:') ? cookieParser.signedCookie(sent, [...secrets]) : false;
      if (id === false) log('rejected-signature', sent, { req });
      else if (id !== req.sessionID) log('unknown-id', id, { req });
    }
    next();
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
