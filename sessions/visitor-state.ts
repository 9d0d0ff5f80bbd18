import type { CookieOptions, Request, Response } from 'express';
import { appCookie } from './app-cookie.ts';
import type { Config } from '../config.ts';

/*
 * What the app remembers about a visitor whether or not anyone is logged in: the CSRF token
 * and one-shot flash messages. The modes without sessions keep it in a signed cookie the browser
 * cannot forge; session mode too until the visitor logs in, then in the session.
 */

export type FlashKind = 'success' | 'error';
export interface FlashMessage {
  kind: FlashKind;
  text: string;
}

export interface VisitorData {
  csrfToken?: string | null;
  flash?: FlashMessage[];
}

export interface VisitorState {
  get<K extends keyof VisitorData>(req: Request, key: K): VisitorData[K];
  set<K extends keyof VisitorData>(req: Request, key: K, value: VisitorData[K]): void;
}

/**
 * Session mode: the session holds a logged-in visitor's state, bound to that login; an anonymous
 * visitor's goes in the signed cookie, so a page that only renders a form stores nothing on the
 * server and anonymous visitors cannot fill the store (S21).
 */
export function sessionVisitorState(anonymous: VisitorState): VisitorState {
  const loggedIn = (req: Request) => req.session?.isLoggedIn === true;
  return {
    get: (req, key) => (loggedIn(req) ? req.session[key] : anonymous.get(req, key)),
    set: (req, key, value) => {
      if (loggedIn(req)) Object.assign(req.session, { [key]: value });
      else anonymous.set(req, key, value);
    },
  };
}

export function signedCookieVisitorState(config: Config): VisitorState {
  const { name: cookieName, options } = appCookie(config, 'visitor', {
    signed: true, // a changed value fails the signature check and reads as empty
    httpOnly: true, // page scripts cannot read the CSRF token
  });
  // The latest value per request, so a read after a write sees the write.
  const written = new WeakMap<Request, VisitorData>();

  const read = (req: Request): VisitorData => {
    const cookie: unknown = req.signedCookies?.[cookieName];
    return written.get(req) ?? (typeof cookie === 'object' && cookie !== null ? (cookie as VisitorData) : {});
  };

  return {
    get: (req, key) => read(req)[key],
    set: (req, key, value) => {
      const data = { ...read(req), [key]: value };
      written.set(req, data);
      // As express-session does with its own cookie: a Secure cookie never goes out over plain HTTP.
      if (req.res && (req.secure || !options.secure)) replaceCookie(req.res, cookieName, data, options);
    },
  };
}

/** One Set-Cookie per name, however often the value changes while the response is built. */
function replaceCookie(res: Response, name: string, value: object, options: CookieOptions): void {
  const others = [res.getHeader('Set-Cookie') ?? []]
    .flat()
    .filter((header) => typeof header === 'string' && !header.startsWith(`${name}=`));
  res.setHeader('Set-Cookie', others.map(String));
  res.cookie(name, value, options);
}
