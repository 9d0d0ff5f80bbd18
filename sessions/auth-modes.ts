import { promisify } from 'node:util';
import type { Request, RequestHandler, Response } from 'express';
import { isValidObjectId } from 'mongoose';
import type { AuthModeName, Config, SessionStoreName } from '../config.ts';
import type { ShopEvents } from '../lib/shop-events.ts';
import { User, type UserDocument } from '../models/user.ts';
import { createSessions, type Sessions, type SessionStoreFactory } from './sessions.ts';
import { createSignedCookieLogin, type SignedCookieLogin } from './signed-cookie.ts';
import { sessionVisitorState, signedCookieVisitorState, type VisitorState } from './visitor-state.ts';

/** What every way of remembering a login answers: who is this, log in, log out. */
export interface LoginMemory {
  /** Runs before anything asks who the visitor is. */
  middleware: RequestHandler;
  /** Where the CSRF token and flash messages live. */
  visitorState: VisitorState;
  currentUser(req: Request): Promise<UserDocument | null>;
  logIn(req: Request, res: Response, user: UserDocument): Promise<void>;
  logOut(req: Request, res: Response): Promise<void>;
  close(): Promise<void>;
}

/** The right way: the cookie holds a signed id, the login lives in a store on the server. */
export interface SessionAuthMode extends LoginMemory {
  name: 'session';
  /** Nothing is wrong with this one. */
  warning: undefined;
  /** Where sessions live, for the badge and /healthz. */
  store: SessionStoreName;
  /** The cookie name and the store itself, for the inspector and the instructor panel. */
  sessions: Sessions;
}

/** The login is in a cookie the server signs: nobody can forge it, nobody can take it back before it expires. */
export interface CookieSessionAuthMode extends LoginMemory {
  name: 'cookie-session';
  /** What it costs, shown on every page. */
  warning: string;
  store: 'none';
  /** The cookie (and its .sig), for the inspector and lesson 10. */
  signedCookie: SignedCookieLogin;
}

/** The three wrong ways, which keep nothing on the server. */
export interface AuthModeWithoutSessions extends LoginMemory {
  name: Exclude<AuthModeName, 'session' | 'cookie-session'>;
  /** What is wrong with this mode, shown on every page. */
  warning: string;
  store: 'none';
}

/** Five ways to remember a login, three wrong, two right with different costs; `name` tells them apart. */
export type AuthMode = SessionAuthMode | CookieSessionAuthMode | AuthModeWithoutSessions;

const authModes = {
  request: (config) => ({
    ...withoutSession(config),
    name: 'request',
    warning:
      'Request mode: the login is a property of the request object, which is thrown away once the response is sent. ' +
      'The redirect after logging in is a new request, so you are logged out again at once.',
    // lesson:not-on-the-request:start
    currentUser: async (req) => findById(req.loggedInUserId), // always a fresh request: nobody
    logIn: async (req, _res, user) => {
      req.loggedInUserId = user.id;
    },
    logOut: async (req) => {
      delete req.loggedInUserId;
    },
    // lesson:not-on-the-request:end
  }),

  global: (config) => {
    // lesson:not-in-a-global-variable:start
    // One variable for the whole server process, shared by every visitor.
    let loggedInUserId: string | undefined;
    // lesson:not-in-a-global-variable:end
    return {
      ...withoutSession(config),
      name: 'global',
      warning:
        'Global mode: the login is one variable in the server process, shared by every visitor. ' +
        'Once anyone logs in, everybody, in every browser, is logged in as that user.',
      // lesson:not-in-a-global-variable:start
      currentUser: async () => findById(loggedInUserId),
      logIn: async (_req, _res, user) => {
        loggedInUserId = user.id;
      },
      logOut: async () => {
        loggedInUserId = undefined;
      },
      // lesson:not-in-a-global-variable:end
    };
  },

  cookie: (config) => ({
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
  }),

  session: (config, databaseUri, events, createStore) => {
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
  },

  'cookie-session': (config) => {
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
  },
} satisfies { [Name in AuthModeName]: (config: Config, databaseUri: string, events: ShopEvents, createStore?: SessionStoreFactory) => AuthMode & { name: Name } };

const passwordChangedMessage = 'The password of this account was changed, so you were logged out. Please log in again.';

/** `events` hears what the sessions do; `createStore` replaces the store that config.sessionStore names. */
export function createAuthMode(config: Config, databaseUri: string, events: ShopEvents, createStore?: SessionStoreFactory): AuthMode {
  return authModes[config.authMode](config, databaseUri, events, createStore);
}

/** The parts every mode without a session shares. */
function withoutSession(config: Config) {
  return {
    store: 'none' as const,
    middleware: (_req, _res, next) => next(),
    visitorState: signedCookieVisitorState(config),
    close: async () => {},
  } satisfies Partial<AuthModeWithoutSessions>;
}

async function findById(id: string | undefined): Promise<UserDocument | null> {
  return id !== undefined && isValidObjectId(id) ? User.findById(id) : null;
}

async function findByEmail(email: string): Promise<UserDocument | null> {
  // sanitizeFilter: a value that is an object such as { $gt: '' } is matched literally, never as an operator.
  return User.findOne({ email }).setOptions({ sanitizeFilter: true });
}
