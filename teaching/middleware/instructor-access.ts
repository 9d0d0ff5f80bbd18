import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../config.ts';
import { returnAddress } from '../../lib/return-address.ts';
import { appCookie } from '../../sessions/app-cookie.ts';

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
const grantLifetimeMs = 8 * hour; // a teaching day: a forgotten browser does not keep the panel open for ever

export function instructorAccess(config: Config): InstructorAccess {
  const token = config.instructorToken;
  const expected = token === undefined ? undefined : digest(token);
  const cookie = appCookie(config, 'instructor', {
    sameSite: 'strict', // no other site can make the browser use it
    maxAge: grantLifetimeMs,
  });
  // Each grant is its issue time and a random part, sealed with the token: the server checks its age,
  // so a copied cookie stops working when the day is over, and a changed token shuts out every grant.
  const seal = (grant: string) => createHmac('sha256', token ?? '').update(grant).digest('base64url');
  const newGrant = () => {
    const grant = `${Date.now()}.${randomBytes(12).toString('base64url')}`;
    return `${grant}.${seal(grant)}`;
  };
  const isCurrentGrant = (value: unknown) => {
    if (token === undefined || typeof value !== 'string') return false;
    const [issuedAt = '', random = '', mac = ''] = value.split('.');
    const age = Date.now() - Number(issuedAt);
    return /^\d{1,15}$/.test(issuedAt) && age >= 0 && age < grantLifetimeMs && sameText(mac, seal(`${issuedAt}.${random}`));
  };
  const refuse = (res: Response, errorMessage?: string, status = 403) => {
    // Once the token is right, the instructor lands on the page they asked for (a link from a lesson carries ?from=).
    const { method, originalUrl, body } = res.req;
    const returnTo: unknown = method === 'GET' ? originalUrl : body?.returnTo;
    res.status(status).render('instructor/token', { pageTitle: 'Instructor panel', enabled: expected !== undefined, errorMessage, returnTo: returnAddress(returnTo, '/instructor') });
  };
  const hasAccess = (req: Request) => isCurrentGrant((req.cookies as Record<string, unknown> | undefined)?.[cookie.name]);

  return {
    enabled: expected !== undefined,
    required: (req, res, next) => {
      if (hasAccess(req)) next();
      else refuse(res);
    },
    // Compared as digests of equal length, in constant time: the answer's timing reveals nothing.
    matches: (guess) => expected !== undefined && timingSafeEqual(digest(guess), expected),
    grant: (res) => {
      if (token !== undefined) res.cookie(cookie.name, newGrant(), cookie.options);
    },
    refuse,
  };
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
