import type { Config } from '../../config.ts';
import { findById, withoutSession, type AuthModeWithoutSessions } from './auth-mode.ts';

/** Wrong: the login is one variable in the server process, shared by every visitor. */
export function globalMode(config: Config): AuthModeWithoutSessions & { name: 'global' } {
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
}
