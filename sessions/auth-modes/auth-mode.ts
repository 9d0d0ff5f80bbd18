import type { Request, RequestHandler, Response } from 'express';
import { isValidObjectId } from 'mongoose';
import type { AuthModeName, Config, SessionStoreName } from '../../config.ts';
import { User, type UserDocument } from '../../models/user.ts';
import type { Sessions } from '../sessions.ts';
import type { SignedCookieLogin } from '../signed-cookie.ts';
import { signedCookieVisitorState, type VisitorState } from '../visitor-state.ts';

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

/** The parts every mode without a session shares. */
export function withoutSession(config: Config) {
  return {
    store: 'none' as const,
    middleware: (_req, _res, next) => next(),
    visitorState: signedCookieVisitorState(config),
    close: async () => {},
  } satisfies Partial<AuthModeWithoutSessions>;
}

export async function findById(id: string | undefined): Promise<UserDocument | null> {
  return id !== undefined && isValidObjectId(id) ? User.findById(id) : null;
}

export async function findByEmail(email: string): Promise<UserDocument | null> {
  // sanitizeFilter: a value that is an object such as { $gt: '' } is matched literally, never as an operator.
  return User.findOne({ email }).setOptions({ sanitizeFilter: true });
}
