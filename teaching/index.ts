import { fileURLToPath } from 'node:url';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ShopPlugin, PluginContext } from '../plugin.ts';
import { tooManyAttempts } from '../controllers/too-many-attempts.ts';
import { addressKey } from '../rate-limit/client-address.ts';
import { lockouts } from '../rate-limit/lockouts.ts';
import type { ShopEventMap } from '../lib/shop-events.ts';
import { instructorAccess } from './middleware/instructor-access.ts';
import { newProgress } from './models/student-progress.ts';
import { inspectorRoutes, sessionReportRoutes } from './routes/inspector.ts';
import { instructorRoutes } from './routes/instructor.ts';
import { lessonRoutes } from './routes/lessons.ts';
import { provideTeachingContext, type TeachingContext } from './context.ts';
import { crossSiteForm } from './cross-site-form.ts';
import { RequestTimeline } from './request-timeline.ts';
import { stepDetectors, type StepDetector } from './step-detectors.ts';
import { httpsSteps } from './https-steps.ts';
import { StepHints } from './step-hints.ts';
import { newStudentId, studentCookie } from './student-cookie.ts';
import { createVisit, studentOf, type Visit } from './visit.ts';
import { logFailure } from '../models/db.ts';

type SessionEvent = ShopEventMap['session'];

/**
 * The lessons as one plug-in: their pages, the session inspector, the instructor panel, and the
 * detectors that listen to the shop's events to tell a student "you did it". The shop works the
 * same without it. Visitors who never opened the lessons cost a cookie lookup.
 */
export function teaching({ config, authMode, events, rateLimit, restart }: PluginContext): ShopPlugin {
  const students = studentCookie(config);
  const crossSite = crossSiteForm(events, '/lessons/csrf-and-samesite');
  const detectors = [...stepDetectors(), crossSite.detector, httpsSteps(config)];
  const hints = new StepHints();
  // Every new student is a record the class view lists: one address cannot make them without end.
  const refuseEnrolment = (req: Request) => rateLimit.admit([{ key: `new-student:${addressKey(req.ip ?? '')}`, max: config.addressRateLimit.maxNewStudents }]);
  const timeline = new RequestTimeline();
  // Requests a page makes by itself to refresh: not the student's doing.
  const polls = new WeakSet<Request>();
  const visits = new WeakMap<Request, Visit>();
  // Session events of a request that happened before the plug-in saw it (a refused cookie).
  const earlyEvents = new WeakMap<Request, SessionEvent[]>();

  const forEachDetector = (visit: Visit, run: (detector: StepDetector) => void) => {
    for (const detector of detectors) {
      if (detector.mode !== undefined && detector.mode !== visit.settings.authMode) continue;
      // Lessons are a side show: a failed detector must not fail the shop's request.
      try {
        run(detector);
      } catch (error) {
        logFailure(error, 'Lesson detection skipped');
      }
    }
  };

  events.on('login', ({ req, user }) => {
    const visit = visits.get(req);
    if (visit) forEachDetector(visit, (detector) => detector.login?.(visit, user));
  });
  events.on('logout', ({ req }) => {
    const visit = visits.get(req);
    if (visit) forEachDetector(visit, (detector) => detector.logout?.(visit));
  });
  events.on('session', (event) => {
    if (!event.req) return;
    const visit = visits.get(event.req);
    if (visit) forEachDetector(visit, (detector) => detector.session?.(visit, event));
    else earlyEvents.set(event.req, [...(earlyEvents.get(event.req) ?? []), event]);
  });

  const observe = async (req: Request, res: Response) => {
    const settings = authMode.settings;
    const mode = authMode.servingOf(req);
    const sessionCookieName = mode.name === 'session' ? mode.sessions.cookieName : undefined;
    const early = earlyEvents.get(req) ?? [];
    const unknownSessionId = early.find(({ event }) => event === 'unknown-id')?.sessionId;
    let progress = await studentOf(req, res, students, unknownSessionId);
    const enrolling = !progress && isLessonPage(req);
    if (enrolling) {
      const refusal = await refuseEnrolment(req);
      if (refusal) return refusal;
      progress = newProgress(newStudentId());
      students.write(res, progress.studentId);
    }
    req.studentId = progress?.studentId;
    const visit = createVisit(req, res, settings, sessionCookieName, progress, hints);
    visits.set(req, visit);
    if (enrolling) forEachDetector(visit, (detector) => detector.enrol?.(visit));
    const student = progress?.studentId;
    if (student !== undefined) {
      res.once('finish', () => {
        if (!polls.has(req)) timeline.record(student, req, res, sessionCookieName);
      });
    }
    for (const event of early) forEachDetector(visit, (detector) => detector.session?.(visit, event));
    const requestDetectors: Promise<void>[] = [];
    forEachDetector(visit, (detector) => {
      const detected = detector.request?.(visit);
      if (detected) requestDetectors.push(detected);
    });
    await Promise.all(requestDetectors);
    // A task done while the server runs in another mode is never detected: its detector says what it saw instead.
    for (const detector of detectors) {
      if (detector.mode === undefined || detector.mode === visit.settings.authMode) continue;
      try {
        detector.wrongMode?.(visit);
      } catch (error) {
        logFailure(error, 'Lesson detection skipped');
      }
    }
  };

  const router = Router();
  router.use(async (req, res, next) => {
    req.studentId = students.read(req);
    const refusal = await observe(req, res).catch((error: unknown) => logFailure(error, 'Lesson detection skipped'));
    if (!refusal) return next();
    const message = `${tooManyAttempts(res, refusal, 'new students from your network')} Every browser that opens the lessons without a student cookie counts; if a whole class shares this address, the instructor can raise STUDENTS_MAX_PER_ADDRESS.`;
    res.status(429).render('errors/error', { pageTitle: 'Too many new students', title: 'Too many new students', message, details: undefined });
  });
  // A poll neither extends nor saves the session: express-session skips both for a request that ends without req.session.
  const poll: RequestHandler = (req, _res, next) => {
    polls.add(req);
    delete (req as { session?: unknown }).session;
    next();
  };
  // The instructor guard, built once: the panel, the class view and the token form share it.
  const access = instructorAccess(config);
  const context: TeachingContext = {
    authMode,
    sessionSecrets: config.sessionSecrets,
    isProduction: config.isProduction,
    hints,
    timeline,
    crossSite,
    access,
    restart,
    rateLimit,
    maxTokenFailures: config.addressRateLimit.maxInstructorTokenFailures,
    lockouts: lockouts(config, rateLimit),
    panel: { unseenChange: undefined },
  };
  const withContext = provideTeachingContext(context);
  router.use(withContext, lessonRoutes(poll), inspectorRoutes);
  router.use('/instructor', withContext, instructorRoutes(access, poll));

  return {
    views: fileURLToPath(new URL('./views', import.meta.url)),
    assets: fileURLToPath(new URL('./public', import.meta.url)),
    navigation: [
      { href: '/inspector', text: 'Inspector' },
      { href: '/lessons', text: 'Lessons' },
    ],
    beforeSession: Router().use(withContext, sessionReportRoutes),
    afterSession: router,
  };
}

/** Opening the lessons or the inspector makes a browser a student; the shop and the progress JSON never do. */
function isLessonPage(req: Request): boolean {
  return req.path === '/lessons' || req.path.startsWith('/lessons/') || req.path === '/inspector';
}
