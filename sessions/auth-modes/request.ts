import type { Config } from '../../config.ts';
import { findById, withoutSession, type AuthModeWithoutSessions } from './auth-mode.ts';

/** Wrong: the login is a property of the request object, thrown away with it. */
export function requestMode(config: Config): AuthModeWithoutSessions & { name: 'request' } {
  return {
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
  };
}
