import type { RequestHandler } from 'express';
import { isDatabaseConnected } from '../models/db.ts';
import type { LiveAuthMode } from '../sessions/live-auth-mode.ts';
import { SessionStoreError } from '../sessions/mongo-store.ts';

/**
 * Fail closed (S18): while the MongoDB store is out of reach nobody can be recognised, so answer
 * "sessions unavailable" up front instead of rendering a page whose session can never be saved.
 */
export function sessionStoreGuard(authMode: Pick<LiveAuthMode, 'current'>): RequestHandler {
  return (_req, _res, next) => {
    if (authMode.current().store === 'mongodb' && !isDatabaseConnected()) {
      next(new SessionStoreError('the MongoDB session store is unreachable'));
      return;
    }
    next();
  };
}
