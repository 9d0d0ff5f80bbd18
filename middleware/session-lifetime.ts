import { promisify } from 'node:util';
import type { Request, RequestHandler, Response } from 'express';
import type { Cookie, Session } from 'express-session';
import type { LogSessionEvent } from './session-events.ts';

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
}

type ExpiryReason = 'idle' | 'absolute';

const endedMessages: Readonly<Record<ExpiryReason, string>> = {
  idle: 'You were logged out after a period without activity. Please log in again.',
  absolute: 'Your session reached its maximum length, so you were logged out. Please log in again.',
};

/** Anything besides the cookie express-session puts in every session, new or not. */
function holdsData(session: Session): boolean {
  return Object.entries(session).some(([key, value]) => key !== 'cookie' && value !== undefined);
}

/** The last request this session saw: each request sets its expiry to then plus the idle limit. */
export function lastSeenAt(cookie: Cookie): Date {
  // A session read back from a store holds the expiry as a string, hence new Date().
  return new Date(new Date(cookie.expires ?? 0).getTime() - (cookie.originalMaxAge ?? 0));
}

export function createSessionLifetime({ absoluteMs }: { absoluteMs: number }, log: LogSessionEvent): SessionLifetime {
  const startClock = (req: Request) => {
    req.session.createdAt = Date.now();
    req.session.userAgent = req.get('user-agent')?.slice(0, 200) ?? '';
  };

  // A session begins when something is first stored in it (saveUninitialized: false stores nothing
  // else), so a visitor who only browses gets none. express-session decides whether to save in
  // res.end; this wrapper runs just before, so the clock is saved with the session's first data.
  const startClockOnceUsed = (req: Request, res: Response) => {
    const end = res.end;
    res.end = function (this: Response, ...args: unknown[]) {
      const session = req.session as typeof req.session | undefined;
      if (session && session.createdAt === undefined && holdsData(session)) {
        startClock(req);
        log('created', req.sessionID, { req });
      }
      return Reflect.apply(end, this, args) as Response;
    } as Response['end'];
  };

  const replace = async (req: Request) => {
    await promisify(req.session.regenerate.bind(req.session))();
    startClock(req);
  };

  return {
    middleware: async (req, res, next) => {
      // No session when the store is unavailable: nothing to time.
      const session = req.session as typeof req.session | undefined;
      if (!session) return next();
      const { createdAt } = session;
      if (createdAt === undefined) {
        startClockOnceUsed(req, res);
        return next();
      }
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
        await replace(req);
        log('expired', expiredId, { reason, req });
        log('created', req.sessionID, { req });
        if (session.isLoggedIn) req.session.flash = [{ kind: 'error', text: endedMessages[reason] }];
      }
      next();
    },

    async regenerate(req) {
      const previousId = req.sessionID;
      await replace(req);
      log('regenerated', req.sessionID, { previousId, req });
    },

    async destroy(req, reason) {
      const id = req.sessionID;
      await promisify(req.session.destroy.bind(req.session))();
      log('destroyed', id, { reason, req });
    },
  };
}
