import type { RequestHandler } from 'express';
import type { LoginMemory } from '../sessions/auth-modes/index.ts';

/**
 * Sets `req.user` to a full User document, reloaded on every request, so a deleted user is
 * logged out at once and controllers can call model methods on it.
 */
export function loadCurrentUser(authMode: LoginMemory): RequestHandler {
  return async (req, res, next) => {
    req.user = (await authMode.currentUser(req)) ?? undefined;
    // A logged-in page must not come back from the browser cache after logout.
    if (req.user) res.set('Cache-Control', 'no-store');
    next();
  };
}
