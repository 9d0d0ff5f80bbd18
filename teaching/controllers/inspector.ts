import type { Request, Response } from 'express';
import { teachingContext } from '../context.ts';
import { sessionReport } from './session-report.ts';

export function getInspector(_req: Request, res: Response) {
  res.render('inspector', { pageTitle: 'Session inspector' });
}

export async function getSessionReport(req: Request, res: Response) {
  const { authMode, sessionSecrets } = teachingContext(req);
  // Always fresh: a cached answer would show cookies from an earlier request.
  res.set('Cache-Control', 'no-store').json(await sessionReport(req, authMode, sessionSecrets));
}
