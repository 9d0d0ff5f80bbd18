import type { Request, Response } from 'express';
import type { Config } from '../config.ts';
import { setCookieHeader } from './middleware/set-cookie-header.ts';
import type { StepDetector } from './step-detectors.ts';

/** Lesson 11's page, where the HSTS header is shown. */
export const httpsLessonPath = '/lessons/https-in-production';

const startHttps = 'This server is not running as production: stop it and start it with npm run start:https, then open the https:// address it prints.';

/** What lesson 11's page shows about the request it came with: the protocol the server saw, and the HSTS header it sent. */
export function httpsCheck(req: Request, res: Response) {
  const hsts = res.getHeader('Strict-Transport-Security');
  return { secure: req.secure, protocol: req.protocol, hsts: hsts === undefined ? undefined : String(hsts) };
}

/**
 * Lesson 11: a login over HTTPS gets __Host-sid with Secure; the same login over plain HTTP gets
 * no session cookie at all (express-session skips a Secure cookie when the request is not secure);
 * lesson 11's page came over HTTPS with Strict-Transport-Security. Only production sets Secure.
 */
export function httpsSteps({ isProduction }: Pick<Config, 'isProduction'>): StepDetector {
  return {
    mode: 'session',
    login: ({ req, res, sessionCookieName, done }) => {
      if (!isProduction || sessionCookieName === undefined) return;
      // The cookie is written with the response's headers, after the login itself.
      res.once('finish', () => {
        const header = setCookieHeader(res, sessionCookieName);
        if (req.secure && header !== undefined && /;\s*Secure(;|$)/i.test(header)) done('https-secure-cookie');
        else if (!req.secure && header === undefined) done('plain-http-no-cookie');
      });
    },
    request: ({ req, res, done, hint }) => {
      if (!isProduction) {
        for (const step of ['https-secure-cookie', 'plain-http-no-cookie', 'hsts-seen'] as const) hint(step, startHttps);
        return;
      }
      if (req.secure && req.path === httpsLessonPath && res.getHeader('Strict-Transport-Security') !== undefined) done('hsts-seen');
      const came = req.secure ? 'This request came over HTTPS.' : 'This request came over plain HTTP.';
      hint('https-secure-cookie', req.secure ? `${came} Log in on this address.` : `${came} Open the https:// address npm run start:https printed, and log in there.`);
      hint('plain-http-no-cookie', req.secure ? `${came} Open the shop's own port over plain HTTP (the http:// address npm run start:https printed) and log in there.` : `${came} Log in on this address, with the right password.`);
      hint('hsts-seen', req.secure ? `${came} Open this lesson on this address.` : `${came} A browser ignores Strict-Transport-Security over plain HTTP: open this lesson over HTTPS.`);
    },
  };
}
