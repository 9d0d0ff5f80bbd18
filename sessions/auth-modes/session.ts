import { promisify } from 'node:util';
import type { Config } from '../../config.ts';
import type { ShopEvents } from '../../lib/shop-events.ts';
import { createSessions, type SessionStoreFactory } from '../sessions.ts';
import { sessionVisitorState, signedCookieVisitorState } from '../visitor-state.ts';
import { findById, type SessionAuthMode } from './auth-mode.ts';

const passwordChangedMessage = 'The password of this account was changed, so you were logged out. Please log in again.';

/** Right: the cookie holds a signed id, the login lives in a store on the server (the course's way). */
export function sessionMode(config: Config, databaseUri: string, events: ShopEvents, createStore?: SessionStoreFactory): SessionAuthMode {
  const visitorState = sessionVisitorState(signedCookieVisitorState(config));
  const sessions = createSessions(config, databaseUri, events, visitorState, createStore);
  return {
    name: 'session',
    warning: undefined,
    store: config.sessionStore,
    sessions,
    middleware: sessions.middleware,
    visitorState,
    close: sessions.close,
    // lesson:sessions:start
    // The cookie holds only a signed, random id; the login itself stays on the server.
    currentUser: async (req) => {
      const user = req.session?.isLoggedIn ? await findById(req.session.userId) : null;
      // A login from before the last password change ends, in whichever process it is used (S28);
      // so does one stored before sessions recorded a version. The user is loaded anyway: no extra query.
      if (user && req.session.credentialVersion !== user.credentialVersion) {
        await sessions.lifetime.end(req, 'password changed', passwordChangedMessage);
        return null;
      }
      return user;
    },
    logIn: async (req, _res, user) => {
      // regenerate the session on login to prevent fixation: an id planted or seen before is now worthless
      await sessions.lifetime.regenerate(req);
      req.session.isLoggedIn = true;
      req.session.userId = user.id;
      // As read with the hash the password was checked against, so a change meanwhile makes it stale.
      req.session.credentialVersion = user.credentialVersion;
      await promisify(req.session.save.bind(req.session))();
      await sessions.activeSessions.endOldest(req);
    },
    // lesson:sessions:end
    // lesson:logout-and-expiry:start
    logOut: async (req, res) => {
      // destroy on the server, so a copy of the cookie no longer logs anyone in
      await sessions.lifetime.destroy(req, 'logout');
      // Only the session cookie: Clear-Site-Data "cookies" would also erase the student's lesson progress.
      res.clearCookie(sessions.cookieName, sessions.cookieOptions);
    },
    // lesson:logout-and-expiry:end
  };
}
