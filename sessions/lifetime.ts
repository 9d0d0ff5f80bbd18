import { promisify } from 'node:util';
import type { Request, RequestHandler } from 'express';
import type { Cookie } from 'express-session';
import type { LogSessionEvent } from './events.ts';
import type { VisitorState } from './visitor-state.ts';

/**
 * When a session begins and ends. express-session only knows the cookie's expiry, which
 * `rolling` moves on every request: that is the idle limit. It has no absolute limit, so each
 * session records when it began, and this middleware ends it once that is too long ago.
 */
export interface SessionLifetime {
  middleware: RequestHandler;
  /** Login: a new id with a fresh clock; the previous id is destroyed, so a planted one is worthless. */
  regenerate(req: Request): Promise<void>;
  /** Logout: the session is deleted from the store, so a copy of the cookie logs nobody in. */
  destroy(req: Request, reason: string): Promise<void>;
  /** Ends the session this request came with as expiry does, and tells the visitor `message`. */
  end(req: Request, reason: string, message: string): Promise<void>;
}

type ExpiryReason = 'idle' | 'absolute';

const endedMessages: Readonly<Record<ExpiryReason, string>> = {
  idle: 'You were logged out after a period without activity. Please log in again.',
  absolute: 'Your session reached its maximum length, so you were logged out. Please log in again.',
};

/** The last request this session saw: each request sets its expiry to then plus the idle limit. */
export function lastSeenAt(cookie: Cookie): Date {
  // A session read back from a store holds the expiry as a string, hence new Date().
  return new Date(new Date(cookie.expires ?? 0).getTime() - (cookie.originalMaxAge ?? 0));
}

/**
 * Only a login stores a session (an anonymous visitor's state lives in a cookie), and every login
 * regenerates it, so the clock starts there. `visitorState` carries the "you were logged out"
 * message to the anonymous visitor an expired session leaves behind.
 */
export function createSessionLifetime({ absoluteMs }: { absoluteMs: number }, visitorState: VisitorState, log: LogSessionEvent): SessionLifetime {
  const regenerate = async (req: Request) => promisify(req.session.regenerate.bind(req.session))();

  return {
    middleware: async (req, _res, next) => {
      // No session when the store is unavailable, no clock when it was never stored: nothing to time.
      const session = req.session as typeof req.session | undefined;
      const createdAt = session?.createdAt;
      if (!session || createdAt === undefined) return next();
      const deadlines: Readonly<Record<ExpiryReason, number>> = {
        // The stores refuse an expired session themselves; this also covers a store that returns
        // one until its cleanup runs (upstream connect-mongodb-session waits for the TTL monitor).
        idle: session.cookie.expires ? new Date(session.cookie.expires).getTime() : Infinity,
        absolute: createdAt + absoluteMs,
      };
      const now = Date.now();
      const reason = (Object.keys(deadlines) as ExpiryReason[]).find((limit) => deadlines[limit] <= now);
      if (reason) {
        const expiredId = req.sessionID;
        // A new, empty session: stored only if this request logs in again.
        await regenerate(req);
        log('expired', expiredId, { reason, req });
        if (session.isLoggedIn) visitorState.set(req, 'flash', [{ kind: 'error', text: endedMessages[reason] }]);
      }
      next();
    },

    async regenerate(req) {
      const previousId = req.sessionID;
      await regenerate(req);
      req.session.createdAt = Date.now();
      req.session.userAgent = req.get('user-agent')?.slice(0, 200) ?? '';
      log('regenerated', req.sessionID, { previousId, req });
    },

    async end(req, reason, message) {
      const endedId = req.sessionID;
      // A new, empty session: stored only if this request logs in again.
      await regenerate(req);
      log('destroyed', endedId, { reason, req });
      visitorState.set(req, 'flash', [{ kind: 'error', text: message }]);
    },

    async destroy(req, reason) {
      const id = req.sessionID;
      await promisify(req.session.destroy.bind(req.session))();
      log('destroyed', id, { reason, req });
    },
  };
}
