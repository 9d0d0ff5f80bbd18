import { Router } from 'express';
import type { LessonsController } from '../controllers/lessons.ts';

export function lessonRoutes(lessons: LessonsController): Router {
  const router = Router();
  router.get('/lessons', lessons.getIndex);
  router.get('/lessons/:slug', lessons.getLesson);
  router.post('/lessons/not-by-ip-address/answer', lessons.postQuizAnswer);
  // The lesson's own address: a form sent back with errors (422) leaves the address bar on the lesson.
  router.post('/lessons/cookie-attributes', lessons.postLabCookie);
  // Under /lessons, so the lab's cookies with Path=/lessons come along too.
  router.get('/lessons/cookie-attributes/sent-cookies', lessons.getSentLabCookies);
  router.get('/api/lessons/progress', lessons.getProgress);
  return router;
}
