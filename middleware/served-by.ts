import cluster from 'node:cluster';
import type { Request, RequestHandler } from 'express';

/** Which worker answers, in a cluster (`npm run cluster`); undefined in a single process. */
export const servedBy: string | undefined = cluster.worker ? `worker ${cluster.worker.id} (pid ${process.pid})` : undefined;

/** In a cluster, every response names its worker, so students watch requests hop between them. */
export const announceWorker: RequestHandler = (_req, res, next) => {
  if (servedBy !== undefined) {
    res.set('X-Served-By', servedBy);
    res.locals.servedBy = servedBy;
    // A browser reuses a connection for seconds, and a connection stays on one worker; a fresh
    // connection per request spreads requests like a load balancer without sticky sessions.
    res.set('Connection', 'close');
  }
  next();
};

const workerPattern = /^worker \d+ \(pid \d+\)$/;

/** The worker that served the form this POST came from (views/partials/form-tokens.ejs), when it is another one. */
export function formFromAnotherWorker(req: Request): string | undefined {
  const formWorker: unknown = req.body?._servedBy;
  if (servedBy === undefined || typeof formWorker !== 'string' || !workerPattern.test(formWorker)) return undefined;
  return formWorker === servedBy ? undefined : formWorker;
}
