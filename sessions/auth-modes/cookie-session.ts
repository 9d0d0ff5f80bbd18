import type { Config } from '../../config.ts';
import { createSignedCookieLogin } from '../signed-cookie.ts';
import { findById, withoutSession, type CookieSessionAuthMode } from './auth-mode.ts';

/** Right, at a cost: the login is in a cookie the server signs; nobody can forge it, nobody can take it back. */
export function cookieSessionMode(config: Config): CookieSessionAuthMode {
  const signedCookie = createSignedCookieLogin(config);
  return {
    ...withoutSession(config),
    name: 'cookie-session',
    warning:
      `Cookie-session mode: the login lives in the ${signedCookie.cookieName} cookie, signed by the server in ${signedCookie.cookieName}.sig. ` +
      'Nobody can forge it, and nobody, not even the server, can take it back before it expires: logging out only asks this browser to drop it.',
    signedCookie,
    middleware: signedCookie.middleware,
    // lesson:signed-cookies:start
    // The cookie holds the login itself, signed: the server keeps nothing and believes any cookie it signed.
    currentUser: async (req) => findById(signedCookie.current(req)?.userId),
    logIn: async (req, _res, user) => {
      signedCookie.write(req, { userId: user.id, loggedInAt: Date.now() });
    },
    logOut: async (req) => {
      // Only a request to this browser: a copy of the cookie still verifies until loggedInAt + absoluteMs.
      signedCookie.clear(req);
    },
    // lesson:signed-cookies:end
  };
}
