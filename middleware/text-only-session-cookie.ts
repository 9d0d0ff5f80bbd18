import type { RequestHandler } from 'express';

/**
 * cookie-parser turns a cookie such as `sid=j:{"a":1}` into an object; express-session, finding
 * no signed id in the header, falls back to that value and calls string methods on it: a 500.
 * A session cookie is only ever text, so such an object is dropped and the visitor is anonymous.
 */
export function textOnlySessionCookie(cookieName: string): RequestHandler {
  return (req, _res, next) => {
    for (const cookies of [req.cookies as Record<string, unknown> | undefined, req.signedCookies as Record<string, unknown> | undefined]) {
      // Only objects: `false` is cookie-parser's mark for a failed signature, which others read.
      if (typeof cookies?.[cookieName] === 'object' && cookies[cookieName] !== null) delete cookies[cookieName];
    }
    next();
  };
}
