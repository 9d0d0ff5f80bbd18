import { createHash, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.ts';
import { returnAddress } from '../lib/return-address.ts';

/**
 * Who may use /instructor: whoever typed the token printed at start (or set in INSTRUCTOR_TOKEN).
 * The token is typed once; a signed cookie remembers it. Students on the same network see a 403.
 */
export interface InstructorAccess {
  /** True when the panel is open at all (production without INSTRUCTOR_TOKEN keeps it shut). */
  enabled: boolean;
  /** Lets the request through only with a cookie earned by the right token; else the 403 page. */
  required: RequestHandler;
  matches(token: string): boolean;
  grant(res: Response): void;
  /** The token form, with 403 unless another status is given. */
  refuse(res: Response, errorMessage?: string, status?: number): void;
}

const hour = 3_600_000;

export function instructorAccess(config: Config): InstructorAccess {
  // The cookie holds a digest of the token, so a changed token shuts out every earlier cookie.
  const expected = config.instructorToken === undefined ? undefined : digest(config.instructorToken);
  // __Host- (production, over HTTPS): no subdomain or plain-HTTP page can plant or overwrite it.
  const cookieName = config.isProduction ? '__Host-instructor' : 'instructor';
  const options: CookieOptions = {
    signed: true, // a forged value fails the signature check
    httpOnly: true, // page scripts, even on the instructor's pages, cannot read it
    sameSite: 'strict', // no other site can make the browser use it
    secure: config.isProduction,
    // __Host- requires Path=/. Only the /instructor routes read it: a path never was a boundary between pages of one site.
    path: '/',
    maxAge: 8 * hour, // a teaching day: a forgotten browser does not keep the panel open for ever
  };
  const refuse = (res: Response, errorMessage?: string, status = 403) => {
    // Once the token is right, the instructor lands on the page they asked for (a link from a lesson carries ?from=).
    const { method, originalUrl, body } = res.req;
    const returnTo: unknown = method === 'GET' ? originalUrl : body?.returnTo;
    res.status(status).render('instructor/token', { pageTitle: 'Instructor panel', enabled: expected !== undefined, errorMessage, returnTo: returnAddress(returnTo, '/instructor') });
  };
  const hasAccess = (req: Request) => {
    const cookie: unknown = req.signedCookies?.[cookieName];
    return expected !== undefined && typeof cookie === 'string' && cookie === expected.toString('hex');
  };

  return {
    enabled: expected !== undefined,
    required: (req, res, next) => {
      if (hasAccess(req)) next();
      else refuse(res);
    },
    // Compared as digests of equal length, in constant time: the answer's timing reveals nothing.
    matches: (token) => expected !== undefined && timingSafeEqual(digest(token), expected),
    grant: (res) => {
      if (expected !== undefined) res.cookie(cookieName, expected.toString('hex'), options);
    },
    refuse,
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
