import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { LiveAuthMode } from '../sessions/live-auth-mode.ts';
import { isDatabaseConnected } from '../models/db.ts';

/** Names this process: a page waiting for a restart knows the new process has come once it changes. */
export const bootId = randomUUID();

/** For load balancers and the e2e tests: 503 when the database is gone, so traffic can move elsewhere. */
export function healthCheck(authMode: LiveAuthMode): RequestHandler {
  return (_req, res) => {
    const mode = authMode.current();
    const databaseUp = isDatabaseConnected();
    res.status(databaseUp ? 200 : 503).json({
      status: databaseUp ? 'ok' : 'degraded',
      database: databaseUp ? 'up' : 'down',
      authMode: mode.name,
      store: mode.store,
      bootId,
    });
  };
}
