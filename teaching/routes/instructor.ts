import { Router, type RequestHandler } from 'express';
import * as classView from '../class-view.ts';
import * as instructor from '../controllers/instructor.ts';
import type { InstructorAccess } from '../middleware/instructor-access.ts';

/** Mounted at /instructor. `poll` goes in front of what the class view asks every few seconds by itself. */
export function instructorRoutes(access: InstructorAccess, poll: RequestHandler): Router {
  const router = Router();
  router.post('/token', instructor.postToken);
  // Everything else needs the cookie that the right token earned.
  router.use(access.required);
  router.get('/', instructor.getPanel);
  router.post('/settings', instructor.postSettings);
  router.post('/restart', instructor.postRestart);
  router.post('/sessions/end', instructor.postEndSession);
  router.post('/sessions/end-all', instructor.postEndAllSessions);
  router.post('/lockouts/lift', instructor.postLiftLockout);
  router.get('/class', classView.getPage);
  router.get('/class/progress', poll, classView.getProgress);
  router.post('/class/archive', classView.postArchive);
  router.post('/class/restore', classView.postRestore);
  router.post('/class/remove', classView.postRemove);
  return router;
}
