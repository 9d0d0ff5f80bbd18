import { csrfSync } from 'csrf-sync';
import type { VisitorState } from './visitor-state.ts';

/**
 * Synchronizer-token CSRF protection: every POST must send back, in the `_csrf` form field,
 * the token this visitor was given; another site can make the browser POST but cannot read it.
 */
export function createCsrfProtection(visitorState: VisitorState) {
  return csrfSync({
    getTokenFromRequest: (req) => {
      const token: unknown = req.body?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
    getTokenFromState: (req) => visitorState.get(req, 'csrfToken'),
    storeTokenInState: (req, token) => visitorState.set(req, 'csrfToken', token),
    size: 32, // 256 random bits
  });
}
