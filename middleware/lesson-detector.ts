import cluster from 'node:cluster';
import { createHash, randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { AuthModeName } from '../config.ts';
import type { StepId } from '../models/lesson-catalog.ts';
import {
  findProgressBySessionIdHash,
  loadProgress,
  markStepDone,
  newProgress,
  rememberEvidence,
  type StudentProgress,
} from '../models/student-progress.ts';
import { labCookiesSeen } from '../models/cookie-lab.ts';
import { setCookieHeader } from './set-cookie-header.ts';
import type { LiveAuthMode } from './live-auth-mode.ts';
import { newStudentId, type StudentCookie } from './student-cookie.ts';
import { logger } from '../lib/logger.ts';

/**
 * Watches each request for the lessons' tasks, so the app can tell a student "you did it"
 * without asking, and makes a browser a student when it opens the lessons. Visitors without a
 * student cookie cost nothing beyond a few comparisons.
 */

export interface LessonDetectorOptions {
  /** Asked on every request: the instructor can switch the mode while the server runs. */
  authMode: Pick<LiveAuthMode, 'settings' | 'sessions'>;
  students: StudentCookie;
}

/** The session cookie as the browser sent it. */
type SessionCookie =
  | { kind: 'absent' }
  | { kind: 'tampered' } // a changed signature, or no signature at all
  | { kind: 'signed'; id: string; known: boolean }; // known: the store still holds this session

interface Visit {
  req: Request;
  res: Response;
  /** The student this browser belongs to, if it has opened the lessons. */
  progress: StudentProgress | undefined;
  sessionCookie: SessionCookie;
  done(step: StepId): void;
}

type Observer = (visit: Visit) => void | Promise<void>;

/** In every mode: what the browser did with the cookies the cookie lab set. */
const observeLabCookies: Observer = ({ req, progress, done }) => {
  if (!progress) return;
  const seen = labCookiesSeen(progress.evidence.labCookies, req);
  if (seen.httpOnlySent) done('httponly-cookie');
  if (seen.expired) done('expired-cookie');
  if (seen.firstSightings) rememberEvidence(progress, { labCookies: seen.labCookies });
};

export function lessonDetector({ authMode: liveAuthMode, students }: LessonDetectorOptions): RequestHandler {
  // A login recorded under another boot id happened before a restart.
  const bootId = serverBootId();
  // Who filled the global variable in global mode: it lives exactly as long as that variable.
  let globalLogin: { studentId: string; credited: boolean } | undefined;

  const onRequest: Record<AuthModeName, Observer[]> = {
    cookie: [
      ({ req, progress, done }) => {
        const { loggedIn, userEmail } = req.cookies as Record<string, unknown>;
        // The server believed a login cookie it never issued to this browser: a forgery.
        if (req.user && loggedIn === 'true' && userEmail !== progress?.evidence.cookieLoginEmail) done('forged-cookie');
      },
    ],
    request: [
      ({ req, progress, done }) => {
        if (!progress?.evidence.requestLoginAt || req.user) return;
        // Logged in on the last request, anonymous on this one.
        done('login-vanished');
        rememberEvidence(progress, { requestLoginAt: undefined });
      },
    ],
    global: [
      async ({ req, progress }) => {
        // Logged in by the global variable, in a browser other than the one that logged in.
        if (!req.user || !globalLogin || globalLogin.credited || globalLogin.studentId === progress?.studentId) return;
        globalLogin.credited = true;
        markStepDone(await loadProgress(globalLogin.studentId), 'second-visitor');
      },
    ],
    session: [
      ({ sessionCookie, done }) => {
        if (sessionCookie.kind === 'tampered') done('tampered-sid');
      },
      ({ req, sessionCookie, progress, done }) => {
        if (sessionCookie.kind !== 'signed' || !sessionCookie.known || !req.user) return;
        const evidence = progress?.evidence;
        if (evidence?.sessionIdHash === hashOf(sessionCookie.id) && evidence.sessionBootId !== bootId) done('survived-restart');
      },
      ({ sessionCookie, progress, done }) => {
        // A correctly signed id the store no longer knows: destroyed at logout, or lost with the process.
        if (sessionCookie.kind !== 'signed' || sessionCookie.known) return;
        const evidence = progress?.evidence;
        if (evidence?.sessionIdHash !== hashOf(sessionCookie.id)) return;
        if (evidence.sessionLoggedOutAt) done('replayed-after-logout');
        else if (evidence.sessionBootId !== bootId) done('lost-in-restart');
      },
    ],
  };

  const onLogin: Record<AuthModeName, Observer> = {
    cookie: ({ res, progress }) => {
      if (progress) rememberEvidence(progress, { cookieLoginEmail: setCookieValue(res, 'userEmail') });
    },
    request: ({ progress }) => {
      if (progress) rememberEvidence(progress, { requestLoginAt: new Date() });
    },
    global: ({ progress }) => {
      globalLogin = progress && { studentId: progress.studentId, credited: false };
    },
    session: ({ req, progress }) => {
      if (!progress) return;
      rememberEvidence(progress, { sessionIdHash: hashOf(req.sessionID), sessionBootId: bootId, sessionLoggedOutAt: undefined });
    },
  };

  const onLogout: Record<AuthModeName, Observer> = {
    cookie: ({ progress }) => {
      if (progress) rememberEvidence(progress, { cookieLoginEmail: undefined });
    },
    request: () => {},
    global: () => {
      globalLogin = undefined;
    },
    session: ({ sessionCookie, progress }) => {
      if (!progress || sessionCookie.kind !== 'signed') return;
      rememberEvidence(progress, { sessionIdHash: hashOf(sessionCookie.id), sessionBootId: bootId, sessionLoggedOutAt: new Date() });
    },
  };

  // A browser already logged in when it first opens the lessons got that login from the server.
  const onEnrol: Record<AuthModeName, Observer> = {
    cookie: ({ req, progress }) => {
      const { userEmail } = req.cookies as Record<string, unknown>;
      if (progress && req.user && typeof userEmail === 'string') rememberEvidence(progress, { cookieLoginEmail: userEmail });
    },
    request: () => {},
    global: () => {},
    session: ({ req, sessionCookie, progress }) => {
      if (!progress || !req.user || sessionCookie.kind !== 'signed') return;
      rememberEvidence(progress, { sessionIdHash: hashOf(sessionCookie.id), sessionBootId: bootId });
    },
  };

  const outcomes: Record<string, Record<AuthModeName, Observer>> = { 'POST /login': onLogin, 'POST /logout': onLogout };

  const observe = async (req: Request, res: Response) => {
    const { authMode } = liveAuthMode.settings;
    const sessionCookie = readSessionCookie(req, liveAuthMode.sessions?.cookieName);
    let progress = await studentOf(req, res, sessionCookie, students);
    const enrolling = !progress && isLessonPage(req);
    if (enrolling) {
      progress = newProgress(newStudentId());
      students.write(res, progress.studentId);
    }
    req.studentId = progress?.studentId;
    const done = (step: StepId) => {
      if (progress) markStepDone(progress, step);
    };
    const visit: Visit = { req, res, progress, sessionCookie, done };

    if (enrolling) await onEnrol[authMode](visit);
    for (const observer of [...onRequest[authMode], observeLabCookies]) await observer(visit);

    const outcome = outcomes[`${req.method} ${req.path}`]?.[authMode];
    if (outcome) {
      // A login or logout succeeded when it redirects; a failure shows the form again.
      res.once('finish', () => {
        if (res.statusCode >= 300 && res.statusCode < 400) void outcome(visit);
      });
    }
  };

  return async (req, res, next) => {
    req.studentId = students.read(req);
    // Lessons are a side show: if detection fails, the shop still answers.
    await observe(req, res).catch((error: unknown) => logger.error({ err: error }, 'Lesson detection skipped'));
    next();
  };
}

/** One id per start of the server; the workers of a cluster share their primary's, so moving between them is no restart. */
function serverBootId(): string {
  return cluster.isWorker ? `cluster of pid ${process.ppid}` : randomUUID();
}

/** Opening the lessons makes a browser a student; the shop and the progress JSON never do. */
function isLessonPage(req: Request): boolean {
  return req.path === '/lessons' || req.path.startsWith('/lessons/');
}

/** `name` is undefined when the mode has no sessions. */
function readSessionCookie(req: Request, name: string | undefined): SessionCookie {
  if (name === undefined) return { kind: 'absent' };
  // cookie-parser checks signatures with the session secrets: false means the signature failed.
  const signed: unknown = req.signedCookies?.[name];
  if (typeof signed === 'string') return { kind: 'signed', id: signed, known: req.sessionID === signed };
  if (signed === false || (req.cookies as Record<string, unknown>)[name] !== undefined) return { kind: 'tampered' };
  return { kind: 'absent' };
}

/**
 * The student behind this request. Logging out in session mode clears every cookie of the site,
 * the student cookie too; a replayed session id still names its student, so it brings it back.
 */
async function studentOf(
  req: Request,
  res: Response,
  sessionCookie: SessionCookie,
  students: StudentCookie,
): Promise<StudentProgress | undefined> {
  const studentId = students.read(req);
  const progress = studentId === undefined ? undefined : await loadProgress(studentId);
  if (sessionCookie.kind !== 'signed' || sessionCookie.known) return progress;
  const hash = hashOf(sessionCookie.id);
  if (progress?.evidence.sessionIdHash === hash) return progress;
  const owner = await findProgressBySessionIdHash(hash);
  if (!owner) return progress;
  students.write(res, owner.studentId);
  return owner;
}

/** Session ids are secrets: only their hashes are stored. */
function hashOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

/** The value this response sets for a cookie, if it sets one. */
function setCookieValue(res: Response, name: string): string | undefined {
  const value = setCookieHeader(res, name)?.split(';')[0]?.slice(name.length + 1);
  return value === undefined ? undefined : decodeURIComponent(value);
}
