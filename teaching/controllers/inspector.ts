import type { Request, Response } from 'express';
import type { LiveAuthMode } from '../../sessions/live-auth-mode.ts';
import { sessionReport } from './session-report.ts';

export interface InspectorOptions {
  authMode: LiveAuthMode;
  /** The configured secrets: the inspector checks signatures as the server does. */
  sessionSecrets: readonly string[];
}

export function inspectorController({ authMode, sessionSecrets }: InspectorOptions) {
  return {
    getInspector(_req: Request, res: Response) {
      res.render('inspector', { pageTitle: 'Session inspector' });
    },

    async getSessionReport(req: Request, res: Response) {
      // Always fresh: a cached answer would show cookies from an earlier request.
      res.set('Cache-Control', 'no-store').json(await sessionReport(req, authMode, sessionSecrets));
    },
  };
}

export type InspectorController = ReturnType<typeof inspectorController>;
