import cookieParser from 'cookie-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Reads the Cookie header into `req.cookies` (plain values, as sent) and `req.signedCookies`
 * (verified values; `false` when the signature fails; signed JSON such as the visitor cookie as
 * its object). A signed cookie is verified when first read and only then, once per request.
 *
 * The session cookie appears in neither: express-session verifies it from the header itself, and
 * would verify it a second time through these objects when the first check fails.
 */
export function readCookies(secrets: readonly string[], sessionCookieName: string): RequestHandler {
  const parseCookies = cookieParser(); // without secrets: every value as sent
  return (req: Request, res: Response, next: NextFunction) => {
    parseCookies(req, res, () => {
      req.secret = secrets[0]; // res.cookie(…, { signed: true }) signs with it
      const cookies = req.cookies as Record<string, unknown>;
      const signedCookies = req.signedCookies as Record<string, unknown>;
      delete cookies[sessionCookieName];
      for (const [name, value] of Object.entries(cookies)) {
        if (typeof value !== 'string' || !value.startsWith('s:')) continue;
        delete cookies[name];
        defineVerifiedOnRead(signedCookies, name, value, secrets);
      }
      next();
    });
  };
}

function defineVerifiedOnRead(signedCookies: Record<string, unknown>, name: string, value: string, secrets: readonly string[]): void {
  Object.defineProperty(signedCookies, name, {
    enumerable: true,
    configurable: true,
    get() {
      const verified = cookieParser.signedCookie(value, [...secrets]);
      const read = typeof verified === 'string' && verified.startsWith('j:') ? (cookieParser.JSONCookie(verified) ?? verified) : verified;
      Object.defineProperty(signedCookies, name, { value: read, enumerable: true, writable: true, configurable: true });
      return read;
    },
  });
}
