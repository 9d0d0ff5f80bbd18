import type { NextFunction, Request, Response } from 'express';
import {
  emptyLabCookieForm,
  labCookieOptions,
  labCookiePrefix,
  labCookieRecord,
  maximumLabCookies,
  readLabCookieForm,
  sameSiteValues,
  sentLabCookies,
  validateLabCookieForm,
  whyNotSent,
  type LabCookieErrors,
  type LabCookieForm,
} from '../models/cookie-lab.ts';
import { ipQuiz, lessonCompletion, lessons, lessonBySlug, lessonWithStep, type Lesson } from '../lesson-catalog.ts';
import { loadProgress, markStepDone, noteCurrentLesson, rememberEvidence, setDisplayName, type StudentProgress } from '../models/student-progress.ts';
import type { LiveAuthMode } from '../../sessions/live-auth-mode.ts';
import { setCookieHeader } from '../middleware/set-cookie-header.ts';
import { sessionFingerprint } from '../../sessions/fingerprint.ts';
import { browserCookieLimit, sentCookieBytes } from '../../sessions/signed-cookie.ts';
import { codeExcerpts } from '../code-excerpts.ts';
import { teachingContext } from '../context.ts';
import type { StepHints } from '../step-hints.ts';
import { httpsCheck } from '../https-steps.ts';

const quizLesson = lessonWithStep('ip-quiz');
const labLesson = lessonWithStep('httponly-cookie');
const idleLesson = lessonWithStep('idle-expired');
const idleLimitSeconds = { min: 5, max: 300 };
const signedCookieLesson = lessonWithStep('signed-cookie-replayed');
const longestNote = 5000;
const displayNamePattern = /^[\p{L}\p{N} .'-]+$/u;

/** Each step with the time it was done, or what the app saw so far; the lesson is done when every step is, at the last one's time. */
function lessonStatus(hints: StepHints, lesson: Lesson, progress: StudentProgress | undefined) {
  const steps = lesson.steps.map((step) => {
    const doneAt = progress?.completedSteps.get(step.id);
    return { ...step, doneAt, hint: doneAt ? undefined : hints.of(progress?.studentId, step.id) };
  });
  return { steps, ...lessonCompletion(lesson, progress?.completedSteps ?? new Map<string, Date>()) };
}
async function renderLesson(
  req: Request,
  res: Response,
  lesson: Lesson,
  progress: StudentProgress,
  {
    status = 200,
    labForm = emptyLabCookieForm,
    labErrors = {},
    quizAnswer,
  }: { status?: number; labForm?: LabCookieForm; labErrors?: LabCookieErrors; quizAnswer?: (typeof ipQuiz.answers)[number] } = {},
) {
  const { authMode, isProduction, crossSite, hints } = teachingContext(req);
  const excerpts = (await codeExcerpts()).get(lesson.slug) ?? [];
  res.status(status).render('lessons/lesson', {
    pageTitle: `Lesson ${lesson.number}: ${lesson.title}`,
    stylesheets: ['/css/lessons.css'],
    path: '/lessons',
    lesson,
    excerpts,
    lessonCount: lessons.length,
    previous: lessons[lesson.number - 2],
    next: lessons[lesson.number],
    status: lessonStatus(hints, lesson, progress),
    modes: authMode.settings,
    isProduction,
    quiz: ipQuiz,
    quizAnswer,
    otherSite: {
      link: lesson.activity === 'cross-site-form' ? crossSite.linkFor(req, progress.studentId) : undefined,
      refused: progress.evidence.refusedCrossSiteForm,
    },
    lab: { form: labForm, errors: labErrors, prefix: labCookiePrefix, sameSiteValues, hostname: req.hostname, cookies: labCookieRows(req, progress) },
    signedCookie: { maxNote: longestNote, limit: browserCookieLimit, bytes: signedCookieBytes(authMode, req) },
    https: httpsCheck(req, res),
    // The number last sent, kept in the form.
    idle: { seconds: progress.evidence.idleLimitSeconds ?? 20 },
  });
}
/** The size of the login cookie this request carried, in cookie-session mode. */
function signedCookieBytes(authMode: Pick<LiveAuthMode, 'servingOf'>, req: Request) {
  const mode = authMode.servingOf(req);
  return mode.name === 'cookie-session' ? sentCookieBytes(req, mode.signedCookie.cookieName) : undefined;
}

export async function getIndex(req: Request, res: Response) {
  const { hints } = teachingContext(req);
  const progress = await progressOf(req);
  res.render('lessons/index', {
    pageTitle: 'Lessons: What is a Session?',
    stylesheets: ['/css/lessons.css'],
    path: '/lessons',
    lessons: lessons.map((lesson) => ({ lesson, status: lessonStatus(hints, lesson, progress) })),
    displayName: progress.displayName ?? '',
  });
}

export async function postDisplayName(req: Request, res: Response) {
  const progress = await progressOf(req);
  const name: unknown = req.body?.displayName;
  const trimmed = typeof name === 'string' ? name.trim() : undefined;
  if (trimmed === undefined || trimmed.length > 40 || (trimmed !== '' && !displayNamePattern.test(trimmed))) {
    req.flash('error', 'A name has at most 40 letters, digits, spaces, dots, hyphens or apostrophes.');
  } else {
    setDisplayName(progress.studentId, trimmed === '' ? undefined : trimmed);
    req.flash('success', trimmed === '' ? 'Your instructor now sees a short code instead of a name.' : `Your instructor now sees you as ${trimmed}.`);
  }
  res.redirect('/lessons');
}

export async function getLesson(req: Request, res: Response, next: NextFunction) {
  const lesson = lessonBySlug(String(req.params.slug));
  if (!lesson) return next(); // on to the 404 page
  const progress = await progressOf(req);
  noteCurrentLesson(progress, lesson.slug);
  await renderLesson(req, res, lesson, progress, { quizAnswer: lesson === quizLesson ? wrongQuizAnswer(req.query.answer) : undefined });
}

export async function postQuizAnswer(req: Request, res: Response) {
  const progress = await progressOf(req);
  const chosen: unknown = req.body?.answer;
  const answer = ipQuiz.answers.find(({ id }) => id === chosen);
  if (!answer) req.flash('error', 'Please choose one of the answers.');
  else if (answer.correct) markStepDone(progress, 'ip-quiz');
  // The choice stays chosen, and its explanation stands next to the form, where the page scrolls to.
  else return res.redirect(`/lessons/${quizLesson.slug}?answer=${encodeURIComponent(answer.id)}#quiz-result`);
  res.redirect(`/lessons/${quizLesson.slug}#task`);
}

export async function postLabCookie(req: Request, res: Response) {
  const progress = await progressOf(req);
  const form = readLabCookieForm(req.body);
  const errors = validateLabCookieForm(form, req.hostname);
  if (Object.keys(errors).length > 0) {
    await renderLesson(req, res, labLesson, progress, { status: 422, labForm: form, labErrors: errors });
    return;
  }
  const name = labCookiePrefix + form.name;
  const others = progress.evidence.labCookies.filter((cookie) => cookie.name !== name);
  const kept = others.slice(-(maximumLabCookies - 1));
  // The browser forgets what the lab forgets: an older cookie of this name, and the oldest beyond the limit.
  for (const dropped of progress.evidence.labCookies.filter((cookie) => !kept.includes(cookie))) {
    res.clearCookie(dropped.name, { path: dropped.path, domain: dropped.domain ?? undefined });
  }
  res.cookie(name, form.value, labCookieOptions(form, req.hostname));
  const header = setCookieHeader(res, name) ?? name;
  rememberEvidence(progress, { labCookies: [...kept, labCookieRecord(form, req.hostname, header)] });
  req.flash('success', `The server answered with: Set-Cookie: ${header}`);
  res.redirect(`/lessons/${labLesson.slug}#cookie-lab`);
}

export async function postIdleLimit(req: Request, res: Response) {
  const { authMode } = teachingContext(req);
  const seconds = Number(req.body?.seconds);
  const current = authMode.settings.authMode === 'session' ? req.session.cookie.originalMaxAge : undefined;
  if (!req.user || current === undefined) {
    req.flash('error', 'Log in first, with the server in session mode: only a session can be given a shorter idle limit.');
  } else if (!Number.isInteger(seconds) || seconds < idleLimitSeconds.min || seconds * 1000 >= Math.min(current ?? Infinity, idleLimitSeconds.max * 1000)) {
    req.flash('error', `Choose a whole number of seconds from ${idleLimitSeconds.min} to ${idleLimitSeconds.max - 1}, shorter than your session's limit now.`);
  } else {
    // Only this session, and only shorter: the browser gets a cookie with this Max-Age on every answer from now on.
    req.session.cookie.maxAge = seconds * 1000;
    rememberEvidence(await progressOf(req), { idleSessionHash: sessionFingerprint(req.sessionID), idleLimitSeconds: seconds });
    req.flash('success', `Your session now ends after ${seconds} seconds without a request. Leave the shop alone for longer, then come back.`);
  }
  res.redirect(`/lessons/${idleLesson.slug}#idle-limit`);
}

/** Lesson 10: text stored in the signed login cookie, refused once the cookie would pass what a browser keeps. */
export function postSignedCookieNote(req: Request, res: Response) {
  const { authMode } = teachingContext(req);
  const mode = authMode.servingOf(req);
  const login = mode.name === 'cookie-session' ? mode.signedCookie.current(req) : undefined;
  const length = Number(req.body?.length);
  if (mode.name !== 'cookie-session' || !req.user || !login) {
    req.flash('error', 'Log in first, with the server in cookie-session mode: only then does your login live in a cookie.');
  } else if (!Number.isInteger(length) || length < 0 || length > longestNote) {
    req.flash('error', `Choose a whole number of characters from 0 to ${longestNote}.`);
  } else {
    const next = { userId: login.userId, loggedInAt: login.loggedInAt, ...(length === 0 ? {} : { note: 'x'.repeat(length) }) };
    // Name and value, as browsers count them: `login=` plus the base64 of the JSON.
    const bytes = Buffer.byteLength(mode.signedCookie.encode(next)) - 1;
    if (bytes > browserCookieLimit) {
      req.flash(
        'error',
        `Refused: with a note of ${length} characters your login cookie would be ${bytes} bytes (name and value), past the ${browserCookieLimit} a browser keeps. ` +
          'Your browser would ignore that Set-Cookie and keep the old cookie, so the shop does not send it.',
      );
    } else {
      mode.signedCookie.write(req, next);
      req.flash(
        'success',
        `Your login cookie is now ${bytes} bytes of the ${browserCookieLimit} a browser keeps: ${Buffer.byteLength(JSON.stringify(next))} bytes of JSON, in base64, ` +
          'and your browser sends all of it with every request from now on.',
      );
    }
  }
  res.redirect(`/lessons/${signedCookieLesson.slug}#signed-cookie-size`);
}

export function getOtherSite(req: Request, res: Response) {
  return teachingContext(req).crossSite.showOtherSite(req, res);
}

export function getSentLabCookies(req: Request, res: Response) {
  res.set('Cache-Control', 'no-store').json({ cookies: sentLabCookies(req) });
}

/** This browser's last requests for the inspector; none until it has opened the lessons or the inspector. */
export function getTimeline(req: Request, res: Response) {
  const { timeline } = teachingContext(req);
  res.set('Cache-Control', 'no-store').json({ requests: timeline.of(req.studentId) });
}

/** A form token for this visitor now: a page whose login changed in another tab sends its forms with it (the old one belonged to the replaced session). */
export function getFormToken(req: Request, res: Response) {
  res.set('Cache-Control', 'no-store').json({ csrfToken: res.locals.csrfToken() });
}

export async function getProgress(req: Request, res: Response) {
  const { authMode, hints, isProduction } = teachingContext(req);
  const progress = req.studentId === undefined ? undefined : await loadProgress(req.studentId);
  const mode = authMode.servingOf(req);
  res.set('Cache-Control', 'no-store').json({
    // What the page's banner, badge and navigation show: the instructor may switch the mode, another tab may log in or out.
    server: { authMode: mode.name, sessionStore: mode.store, production: isProduction, warning: mode.warning ?? null, user: req.user?.email ?? null },
    lessons: lessons.map((lesson) => {
      const { done, doneAt, steps } = lessonStatus(hints, lesson, progress);
      return { slug: lesson.slug, done, doneAt: doneAt ?? null, steps: steps.map(({ id, doneAt, hint }) => ({ id, doneAt: doneAt ?? null, hint: hint ?? null })) };
    }),
  });
}

/** Lesson 4's wrong answer named in the address the quiz redirects to; undefined for anything else. */
function wrongQuizAnswer(id: unknown) {
  return ipQuiz.answers.find((answer) => answer.id === id && !answer.correct);
}

/** The student the lesson detector enrolled for every lesson page. */
async function progressOf(req: Request): Promise<StudentProgress> {
  if (req.studentId === undefined) throw new Error(`${req.method} ${req.originalUrl} needs the lesson detector in front of it.`);
  return loadProgress(req.studentId);
}

/** The lab's cookies for the table: was each one sent with this very page? */
function labCookieRows(req: Request, progress: StudentProgress) {
  const sent = sentLabCookies(req);
  return progress.evidence.labCookies.map((cookie) => ({
    ...cookie,
    sentValue: sent[cookie.name],
    notSent: whyNotSent(cookie, req.path),
  }));
}
