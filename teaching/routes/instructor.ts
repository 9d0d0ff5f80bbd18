import { Router } from 'express';
import type { InstructorController } from '../controllers/instructor.ts';
import type { InstructorAccess } from '../middleware/instructor-access.ts';

export function instructorRoutes(instructor: InstructorController, access: InstructorAccess): Router {
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
  return router;
}
