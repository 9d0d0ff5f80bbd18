import { promisify } from 'node:util';
import cookieParser from 'cookie-parser';
import type { Request } from 'express';
import type session from 'express-session';
import { isValidObjectId } from 'mongoose';
import type { AuthModeName, SessionStoreName } from '../../config.ts';
import type { AuthMode } from '../../sessions/auth-modes/index.ts';
import type { LiveAuthMode } from '../../sessions/live-auth-mode.ts';
import { servedBy } from '../../middleware/served-by.ts';
import { sessionFingerprint } from '../../sessions/fingerprint.ts';
import { browserCookieLimit, signatureMatch } from '../../sessions/signed-cookie.ts';
import { User } from '../../models/user.ts';

/*
 * What `GET /api/session` answers: the cookies this very request carried, taken apart, and
 * what the server holds for them. It never contains a session id (only its fingerprint) nor a
 * CSRF token: page scripts read this, and HttpOnly would be pointless if they could.
 */

export interface SessionReport {
  authMode: AuthModeName;
  sessionStore: SessionStoreName | 'none';
  /** In a cluster, the worker that answered; null in a single process. */
  servedBy: string | null;
  /** Who the server takes the sender of this request for; null when nobody. */
  user: string | null;
  /** Every cookie the request carried, by name; the values of unsigned ones are left to `document.cookie`. */
  cookies: ReceivedCookie[];
  server: ServerSide;
}

export interface ReceivedCookie {
  name: string;
  /** null: a plain value the server cannot tell from one the visitor typed. */
  signed: SignedCookieParts | null;
}

/** `s:<payload>.<signature>`, as cookie-signature writes it. */
export interface SignedCookieParts {
  prefix: 's:';
  payload: { kind: 'id'; fingerprint: string } | { kind: 'json'; data: unknown };
  signature: string;
  /** True when an HMAC with one of the configured secrets matches the signature. */
  verified: boolean;
  /** Which secret verified it: 1 signs new cookies, higher ones are older, still accepted. */
  secretNumber: number | null;
}

export type ServerSide =
  | { kind: 'request'; summary: string }
  | { kind: 'global'; summary: string; variable: string | null }
  | { kind: 'cookie'; summary: string }
  | {
      kind: 'session';
      summary: string;
      /** How many live sessions the store holds, everyone's. */
      sessionCount: number;
      cookieStatus: SessionCookieStatus;
      /** The record the store holds for the verified id in the cookie, CSRF token hidden. */
      session: { idFingerprint: string; expires: string | null; record: Record<string, unknown> } | null;
    }
  | { kind: 'cookie-session'; summary: string; cookieStatus: SignedLoginStatus; cookie: SignedLoginCookie | null };

export type SessionCookieStatus = 'no cookie' | 'bad signature' | 'not in the store' | 'found';

/** Cookie-session mode's login cookie taken apart: `<name>` holds base64 JSON, `<name>.sig` its HMAC. */
export interface SignedLoginCookie {
  name: string;
  /** The value as sent: base64, which anyone can decode. */
  value: string;
  /** Name and value together: browsers drop a cookie past `limit`. */
  bytes: number;
  limit: number;
  /** The value decoded: the login itself, readable, not encrypted; null when it is no JSON. */
  decoded: unknown;
  sigName: string;
  /** The .sig cookie as sent; null when the browser sent none. */
  signature: string | null;
  /** Which secret's HMAC-SHA1 of `<name>=<value>` matches: 1 signs new cookies; null when none does. */
  secretNumber: number | null;
  /** From loggedInAt: when the server stops accepting it, whatever the browser keeps. */
  expires: string | null;
}

export type SignedLoginStatus = 'no cookie' | 'bad signature' | 'expired' | 'valid';

const storeDescriptions: Record<SessionStoreName, string> = {
  memory: 'a JavaScript object inside this server process: lost when it restarts, unknown to any other process',
  mongodb: 'a document in the sessions collection of MongoDB: it survives restarts, every instance reads it, and a TTL index deletes it once it expires',
};

interface Context<Mode extends AuthMode> {
  req: Request;
  /** The mode serving this request. */
  mode: Mode;
  /** The cookies as sent, before anything unsigned them. */
  received: Record<string, string>;
  secrets: readonly string[];
}

type ModeByName = { [Mode in AuthMode as Mode['name']]: Mode };
type ServerViews = {
  [Name in AuthModeName]: (context: Context<ModeByName[Name]>) => Promise<{ user: string | null; server: ServerSide }>;
};

const serverViews: ServerViews = {
  'cookie-session': signedLoginView,
  request: async () => ({
    user: null,
    server: {
      kind: 'request',
      summary:
        'The login request set req.loggedInUserId, and that request object was thrown away with its response. ' +
        'This request is a new object: req.loggedInUserId is undefined, so nobody is logged in.',
    },
  }),
  global: async ({ req, mode }) => {
    const user = (await mode.currentUser(req))?.email ?? null;
    return {
      user,
      server: { kind: 'global', summary: 'One variable in the server process holds the login, the same for every visitor.', variable: user },
    };
  },
  cookie: async ({ req, mode }) => ({
    user: (await mode.currentUser(req))?.email ?? null,
    server: { kind: 'cookie', summary: 'The server keeps nothing: it believes your cookies, loggedIn and userEmail, whatever they say.' },
  }),
  session: async ({ mode: { sessions, store }, received, secrets }) => {
    const cookie = received[sessions.cookieName];
    const id = cookie === undefined ? false : cookieParser.signedCookie(cookie, [...secrets]);
    // signedCookie hands back an unprefixed value unchanged: that is no signed id either.
    const verifiedId = id === false || id === cookie ? undefined : id;
    // Read straight from the store: express-session would extend the session, or create one.
    const record = verifiedId === undefined ? null : await readSession(sessions.store, verifiedId);
    return {
      user: record?.isLoggedIn ? await emailOf(record.userId) : null,
      server: {
        kind: 'session',
        summary: `Your login lives in a session record on the server, in ${storeDescriptions[store]}. The cookie carries only its signed id.`,
        sessionCount: await sessions.store.count(),
        cookieStatus: sessionCookieStatus(cookie, verifiedId, record),
        session:
          verifiedId !== undefined && record
            ? { idFingerprint: sessionFingerprint(verifiedId), expires: expiryOf(record), record: withReadableTimes(redacted(record)) }
            : null,
      },
    };
  },
};

/** The login cookie of cookie-session mode as the server judges it, from the cookies as sent. */
async function signedLoginView({ mode: { signedCookie }, received, secrets }: Context<ModeByName['cookie-session']>) {
  const { cookieName: name, lifetimeMs } = signedCookie;
  const value = received[name];
  const sigName = `${name}.sig`;
  const signature = received[sigName] ?? null;
  if (value === undefined) {
    return { user: null, server: { kind: 'cookie-session', summary: signedLoginSummary, cookieStatus: 'no cookie', cookie: null } satisfies ServerSide };
  }
  const decoded = parseJson(Buffer.from(value, 'base64').toString('utf8')) ?? null;
  const secretIndex = signature === null ? -1 : signatureMatch(secrets, name, value, signature);
  const { userId, loggedInAt } = (decoded ?? {}) as Record<string, unknown>;
  const expiresAt = typeof loggedInAt === 'number' ? loggedInAt + lifetimeMs : undefined;
  const status: SignedLoginStatus = secretIndex < 0 ? 'bad signature' : expiresAt === undefined || expiresAt <= Date.now() ? 'expired' : 'valid';
  const cookie: SignedLoginCookie = {
    name,
    value,
    bytes: Buffer.byteLength(`${name}${value}`),
    limit: browserCookieLimit,
    decoded,
    sigName,
    signature,
    secretNumber: secretIndex < 0 ? null : secretIndex + 1,
    expires: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
  };
  return {
    user: status === 'valid' && typeof userId === 'string' ? await emailOf(userId) : null,
    server: { kind: 'cookie-session', summary: signedLoginSummary, cookieStatus: status, cookie } satisfies ServerSide,
  };
}

const signedLoginSummary =
  'The server keeps nothing: your login is in the cookie itself, base64 JSON that anyone holding it can read, with an HMAC beside it that only the server can compute. ' +
  'It believes every cookie it signed until loggedInAt plus the absolute lifetime, even one copied before a logout.';

export async function sessionReport(req: Request, authMode: LiveAuthMode, secrets: readonly string[]): Promise<SessionReport> {
  const received = rawCookies(req);
  const mode = authMode.servingOf(req);
  const { user, server } = await serverView(mode.name, { req, mode, received, secrets });
  return {
    authMode: mode.name,
    sessionStore: mode.store,
    servedBy: servedBy ?? null,
    user,
    cookies: Object.entries(received).map(([name, value]) => ({ name, signed: signedParts(value, secrets) })),
    server,
  };
}

function sessionCookieStatus(cookie: string | undefined, verifiedId: string | undefined, record: session.SessionData | null): SessionCookieStatus {
  if (cookie === undefined) return 'no cookie';
  if (verifiedId === undefined) return 'bad signature';
  return record ? 'found' : 'not in the store';
}

/** Each mode's view gets its own kind of mode: only session mode's has sessions. */
function serverView<Name extends AuthModeName>(name: Name, context: Context<ModeByName[Name]>) {
  return serverViews[name](context);
}

/** The string cookies of the request; cookie-parser's JSON cookies (`j:`) are not ours to read. */
function rawCookies(req: Request): Record<string, string> {
  const cookies = (req.cookies ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(cookies).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function signedParts(value: string, secrets: readonly string[]): SignedCookieParts | null {
  if (!value.startsWith('s:')) return null;
  const dot = value.lastIndexOf('.');
  const payload = dot > 1 ? value.slice(2, dot) : value.slice(2);
  const secretIndex = secrets.findIndex((secret) => cookieParser.signedCookie(value, secret) !== false);
  return {
    prefix: 's:',
    payload: payloadOf(payload),
    signature: dot > 1 ? value.slice(dot + 1) : '',
    verified: secretIndex >= 0,
    secretNumber: secretIndex >= 0 ? secretIndex + 1 : null,
  };
}

/** Signed JSON (the visitor cookie) is readable by anyone; anything else is taken for an id. */
function payloadOf(payload: string): SignedCookieParts['payload'] {
  if (payload.startsWith('j:')) {
    const data = parseJson(payload.slice(2));
    if (data !== undefined) return { kind: 'json', data: redacted(data) };
  }
  return { kind: 'id', fingerprint: sessionFingerprint(payload) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A copy without the CSRF token's value: a script that could read it could forge any form. */
function redacted(data: unknown): Record<string, unknown> {
  const copy = { ...(data as Record<string, unknown>) };
  if (typeof copy.csrfToken === 'string') copy.csrfToken = `(hidden: ${copy.csrfToken.length} characters)`;
  return copy;
}

/** The login time as a date, like the cookie's expiry beside it (the store keeps milliseconds since 1970). */
function withReadableTimes(record: Record<string, unknown>): Record<string, unknown> {
  return typeof record.createdAt === 'number' ? { ...record, createdAt: new Date(record.createdAt).toISOString() } : record;
}

function expiryOf(record: session.SessionData): string | null {
  return record.cookie.expires ? new Date(record.cookie.expires).toISOString() : null;
}

async function readSession(store: session.Store, id: string): Promise<session.SessionData | null> {
  return (await promisify(store.get.bind(store))(id)) ?? null;
}

async function emailOf(userId: string | undefined): Promise<string | null> {
  if (userId === undefined || !isValidObjectId(userId)) return null;
  return (await User.findById(userId))?.email ?? null;
}
