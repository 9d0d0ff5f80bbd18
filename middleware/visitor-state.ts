import type { CookieOptions, Request, Response } from 'express';
import type { Config } from '../config.ts';

/*
 * What the app remembers about a visitor whether or not anyone is logged in: the CSRF token
 * and one-shot flash messages. The session mode keeps it in the session; the other modes have
 * no session, so they keep it in a signed cookie the browser cannot forge.
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

export const sessionVisitorState: VisitorState = {
  get: (req, key) => req.session?.[key],
  set: (req, key, value) => {
    Object.assign(req.session, { [key]: value });
  },
};

const cookieName = 'visitor';

export function signedCookieVisitorState(config: Config): VisitorState {
  const options: CookieOptions = {
    signed: true, // a changed value fails the signature check and reads as empty
    httpOnly: true, // page scripts cannot read the CSRF token
    sameSite: 'lax',
    secure: config.isProduction,
    path: '/',
  };
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
      if (req.res) replaceCookie(req.res, cookieName, data, options);
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
