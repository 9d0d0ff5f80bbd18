import type { Config } from '../../config.ts';
import { findByEmail, withoutSession, type AuthModeWithoutSessions } from './auth-mode.ts';

/** Wrong: the login is in plain cookies the browser owns and can edit. */
export function cookieMode(config: Config): AuthModeWithoutSessions & { name: 'cookie' } {
  return {
    ...withoutSession(config),
    name: 'cookie',
    warning:
      'Cookie mode: the login is two plain cookies, loggedIn=true and userEmail, that the browser owns. ' +
      'The server believes them: edit userEmail in the developer tools and you are someone else.',
    // lesson:cookies-live-in-the-browser:start
    currentUser: async (req) => {
      const { loggedIn, userEmail } = req.cookies as Record<string, unknown>;
      // The server trusts whatever the browser sends: that is the flaw this mode shows.
      return loggedIn === 'true' && typeof userEmail === 'string' ? findByEmail(userEmail) : null;
    },
    logIn: async (_req, res, user) => {
      // Deliberately plain: not signed, not HttpOnly, readable and editable in the browser.
      res.cookie('loggedIn', 'true', { sameSite: 'lax', path: '/' });
      res.cookie('userEmail', user.email, { sameSite: 'lax', path: '/' });
    },
    logOut: async (_req, res) => {
      res.clearCookie('loggedIn', { path: '/' });
      res.clearCookie('userEmail', { path: '/' });
    },
    // lesson:cookies-live-in-the-browser:end
  };
}
