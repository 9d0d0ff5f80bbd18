import type { Request, RequestHandler } from 'express';
import type { AuthMode } from '../sessions/auth-modes/index.ts';
import type { LiveAuthMode } from '../sessions/live-auth-mode.ts';
import type { NavigationLink } from '../plugin.ts';

/** Values every view can read, before anything is known about the request (error pages use these). */
export function siteLocals(authMode: AuthMode, pluginLinks: readonly NavigationLink[]): Express.Locals {
  return {
    pluginLinks,
    isAuthenticated: false,
    currentUser: undefined,
    csrfToken: () => '',
    authMode: authMode.name,
    sessionStore: authMode.store,
    modeWarning: authMode.warning,
    flash: () => [],
    path: '',
  };
}

/**
 * Who is logged in, and the CSRF token for this visitor's forms as a function the views call:
 * a token is stored (in session mode: a session is created) only when a page renders a form.
 * Not a getter: res.render copies res.locals with a spread, which would call it for every page.
 */
export function requestLocals(csrfToken: (req: Request) => string): RequestHandler {
  return (req, res, next) => {
    res.locals.isAuthenticated = req.user !== undefined;
    res.locals.currentUser = req.user?.email;
    res.locals.csrfToken = () => csrfToken(req);
    res.locals.path = req.path; // marks the current page in the navigation
    next();
  };
}

/** The mode and store of this moment: the instructor can switch them while the server runs. */
export function modeLocals(authMode: LiveAuthMode): RequestHandler {
  return (_req, res, next) => {
    const mode = authMode.current();
    res.locals.authMode = mode.name;
    res.locals.sessionStore = mode.store;
    res.locals.modeWarning = mode.warning;
    next();
  };
}
