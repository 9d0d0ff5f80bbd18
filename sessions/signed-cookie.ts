import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import cookieSession from 'cookie-session';
import type { Config } from '../config.ts';

/**
 * The cookie-session auth mode's login: the whole login is in the cookie, as base64 JSON, next to
 * a second cookie `<name>.sig` holding an HMAC-SHA1 of `<name>=<value>` made with SESSION_SECRET
 * (cookie-session signs through the cookies and keygrip packages). The server keeps nothing.
 */

/** What the cookie holds after a login: readable by anyone who has the cookie, changeable by nobody. */
export interface SignedLogin {
  userId: string;
  /** When the server signed it (ms since 1970): the server refuses it `absoluteMs` later, whatever the browser does. */
  loggedInAt: number;
  /** Lesson 10's lab: text the student stores to watch the cookie grow. */
  note?: string;
}

/** What the request's login cookie turned out to be. */
export type SignedCookieVerdict =
  | { kind: 'none' } // no login cookie
  | { kind: 'refused' } // a cookie whose signature does not match (edited value, edited or missing .sig)
  | { kind: 'expired'; login: SignedLogin } // genuine, but signed longer ago than the absolute lifetime
  | { kind: 'valid'; login: SignedLogin };

/**
 * Browsers keep a cookie only if its name and value together are at most this many bytes: RFC 6265bis
 * (section 5.4 of the draft) says so; Chromium keeps 4096 and ignores 4097, keeping the old cookie.
 */
export const browserCookieLimit = 4096;

/** A generic name; __Host- pins it to this host over HTTPS, as the sid cookie. */
export function signedCookieName({ isProduction }: Pick<Config, 'isProduction'>): string {
  return isProduction ? '__Host-login' : 'login';
}

export interface SignedCookieLogin {
  cookieName: string;
  /** How long after loggedInAt the server accepts the cookie: the sessions' absolute lifetime. */
  lifetimeMs: number;
  /** Runs cookie-session, then decides what the login cookie is worth. */
  middleware: RequestHandler;
  /** The login this request carries or has just been given; undefined when none counts. */
  current(req: Request): SignedLogin | undefined;
  verdict(req: Request): SignedCookieVerdict;
  /** Replaces what the cookie holds; it goes out as a new cookie (and a new .sig) with this response. */
  write(req: Request, login: SignedLogin): void;
  /** Asks the browser to drop both cookies. A copy made before still verifies: nothing on the server changes. */
  clear(req: Request): void;
  /** The Set-Cookie value `login` would get, to measure it before sending it. */
  encode(login: SignedLogin): string;
}

/** req.session as cookie-session defines it (express-session's type describes the other mode). */
interface CookieSessionRequest {
  session: Partial<SignedLogin> | null;
}
const cookieSessionOf = (req: Request) => req as unknown as CookieSessionRequest;

export function createSignedCookieLogin(config: Pick<Config, 'isProduction' | 'sessionSecrets' | 'sessionLifetime'>): SignedCookieLogin {
  const cookieName = signedCookieName(config);
  const { absoluteMs } = config.sessionLifetime;
  // lesson:signed-cookies:start
  const signedCookie = cookieSession({
    name: cookieName,
    keys: [...config.sessionSecrets], // HMAC-SHA1 of "login=<value>" into the login.sig cookie
    maxAge: absoluteMs, // the browser drops it then; the server checks loggedInAt too
    httpOnly: true, // page scripts cannot read it (anyone holding the cookie can: base64 is no secret)
    sameSite: 'lax', // not sent on cross-site POSTs
    secure: config.isProduction, // HTTPS only in production
    path: '/',
  });
  // lesson:signed-cookies:end

  const judge = (req: Request): SignedCookieVerdict => {
    if (cookieValue(req.headers.cookie, cookieName) === undefined) return { kind: 'none' };
    // Reading req.session makes cookie-session check the signature: a mismatch reads as an empty session.
    const data = sessionOf(req);
    if (!isSignedLogin(data)) return { kind: 'refused' };
    const login = { ...data };
    // lesson:signed-cookies:start
    // A copy outside a browser ignores Expires: the signed time is what the server goes by.
    if (Date.now() >= login.loggedInAt + absoluteMs) return { kind: 'expired', login };
    // lesson:signed-cookies:end
    return { kind: 'valid', login };
  };

  return {
    cookieName,
    lifetimeMs: absoluteMs,
    middleware: (req, res, next) => {
      signedCookie(req, res, () => {
        const verdict = judge(req);
        verdicts.set(req, verdict);
        // An expired login goes: the browser gets both cookies cleared.
        if (verdict.kind === 'expired') cookieSessionOf(req).session = null;
        next();
      });
    },
    current: signedLoginOf,
    verdict: signedCookieVerdict,
    write(req, login) {
      // A new object: cookie-session serializes it into a new cookie when the response starts.
      cookieSessionOf(req).session = { ...login };
    },
    clear(req) {
      cookieSessionOf(req).session = null;
    },
    encode: (login) => `${cookieName}=${Buffer.from(JSON.stringify(login)).toString('base64')}`,
  };
}

const verdicts = new WeakMap<Request, SignedCookieVerdict>();
const sessionOf = (req: Request) => cookieSessionOf(req).session;

/** In cookie-session mode: the login this request carries or has just been given; undefined when none counts. */
export function signedLoginOf(req: Request): SignedLogin | undefined {
  // A refused cookie reads as an empty session, an expired one was cleared: what is left counts.
  const data = sessionOf(req);
  return isSignedLogin(data) ? { ...data } : undefined;
}

/** In cookie-session mode: what the login cookie this request carried turned out to be. */
export function signedCookieVerdict(req: Request): SignedCookieVerdict {
  return verdicts.get(req) ?? { kind: 'none' };
}

/** How many bytes the login cookie this request carried has (name and value, as browsers count them); undefined when none. */
export function sentCookieBytes(req: Request, name: string): number | undefined {
  const value = cookieValue(req.headers.cookie, name);
  return value === undefined ? undefined : Buffer.byteLength(`${name}${value}`);
}

/** The value of one cookie in a Cookie header, as the cookies package finds it. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  const escaped = name.replace(/[\^$\\.*+?()[\]{}|]/g, '\\$&');
  return new RegExp(`(?:^|;) *${escaped}=([^;]*)`).exec(header ?? '')?.[1];
}

function isSignedLogin(data: unknown): data is SignedLogin {
  const { userId, loggedInAt } = (data ?? {}) as Record<string, unknown>;
  return typeof userId === 'string' && typeof loggedInAt === 'number' && Number.isFinite(loggedInAt);
}

/**
 * The signature cookie-session gives `<name>=<value>` with each secret, as keygrip computes it
 * (HMAC-SHA1, base64url without padding); the number of the secret that matches, or -1.
 */
export function signatureMatch(secrets: readonly string[], name: string, value: string, signature: string): number {
  return secrets.findIndex((secret) => {
    const expected = Buffer.from(createHmac('sha1', secret).update(`${name}=${value}`).digest('base64url'));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
