import cookieParser from 'cookie-parser';
import { Router } from 'express';
import * as inspector from '../controllers/inspector.ts';

/**
 * Mounted before the session middleware: a page polling every second and a half must neither
 * create a session nor keep one alive, so this route reads the store itself and never touches it.
 */
export const sessionReportRoutes = Router();
// Its own parser without secrets: the report needs the signed cookies as sent, not unsigned.
sessionReportRoutes.get('/api/session', cookieParser(), inspector.getSessionReport);

export const inspectorRoutes = Router();
inspectorRoutes.get('/inspector', inspector.getInspector);
