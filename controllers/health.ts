import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { isDatabaseConnected } from '../models/db.ts';
import { appContext } from './app-context.ts';

/** Names this process: a page waiting for a restart knows the new process has come once it changes. */
export const bootId = randomUUID();

/** For load balancers and the e2e tests: 503 when the database is gone, so traffic can move elsewhere. */
export function getHealth(req: Request, res: Response) {
  const mode = appContext(req).authMode.current();
  const databaseUp = isDatabaseConnected();
  res.status(databaseUp ? 200 : 503).json({
    status: databaseUp ? 'ok' : 'degraded',
    database: databaseUp ? 'up' : 'down',
    authMode: mode.name,
    store: mode.store,
    bootId,
  });
}
