import cookieParser from 'cookie-parser';
import { Router } from 'express';
import type { InspectorController } from '../controllers/inspector.ts';

/**
 * Mounted before the session middleware: a page polling every second and a half must neither
 * create a session nor keep one alive, so this route reads the store itself and never touches it.
 */
export function sessionReportRoutes(inspector: InspectorController): Router {
  const router = Router();
  // Its own parser without secrets: the report needs the signed cookies as sent, not unsigned.
  router.get('/api/session', cookieParser(), inspector.getSessionReport);
  return router;
}

export function inspectorRoutes(inspector: InspectorController): Router {
  const router = Router();
  router.get('/inspector', inspector.getInspector);
  return router;
}
