import { Router, type RequestHandler } from 'express';
import * as lessons from '../controllers/lessons.ts';

/** `poll` goes in front of the routes that pages ask every few seconds by themselves. */
export function lessonRoutes(poll: RequestHandler): Router {
  const router = Router();
  router.get('/lessons', lessons.getIndex);
  router.get('/lessons/:slug', lessons.getLesson);
  router.post('/lessons/display-name', lessons.postDisplayName);
  router.post('/lessons/not-by-ip-address/answer', lessons.postQuizAnswer);
  // The lesson's own address: a form sent back with errors (422) leaves the address bar on the lesson.
  router.post('/lessons/cookie-attributes', lessons.postLabCookie);
  router.post('/lessons/logout-and-expiry/idle-limit', lessons.postIdleLimit);
  router.post('/lessons/signed-cookies/note', lessons.postSignedCookieNote);
  router.get('/lessons/csrf-and-samesite/other-site', lessons.getOtherSite);
  // Under /lessons, so the lab's cookies with Path=/lessons come along too.
  router.get('/lessons/cookie-attributes/sent-cookies', poll, lessons.getSentLabCookies);
  router.get('/api/lessons/progress', poll, lessons.getProgress);
  // Not a poll: the token must be kept in the session.
  router.get('/api/lessons/form-token', lessons.getFormToken);
  router.get('/api/lessons/timeline', poll, lessons.getTimeline);
  return router;
}
