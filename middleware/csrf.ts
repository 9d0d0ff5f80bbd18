import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';
import type { ShopEvents } from '../lib/shop-events.ts';
import type { VisitorState } from '../sessions/visitor-state.ts';

/**
 * Synchronizer-token CSRF protection: every POST must send back, in the `_csrf` form field,
 * the token this visitor was given; another site can make the browser POST but cannot read it.
 */
export function createCsrfProtection(visitorState: VisitorState) {
  // lesson:csrf-and-samesite:start
  return csrfSync({
    getTokenFromRequest: (req) => {
      const token: unknown = req.body?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
    getTokenFromState: (req) => visitorState.get(req, 'csrfToken'),
    storeTokenInState: (req, token) => visitorState.set(req, 'csrfToken', token),
    size: 32, // 256 random bits
  });
  // lesson:csrf-and-samesite:end
}

/** The CSRF check, announcing each form it refuses. */
export function refuseForgedForms(protect: RequestHandler, events: ShopEvents): RequestHandler {
  return (req, res, next) => {
    protect(req, res, (error?: unknown) => {
      if (error !== undefined) events.emit('form-refused', { req });
      next(error);
    });
  };
}
