import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import type { AuthModeName } from '../config.ts';
import type { ShopEventMap } from '../lib/shop-events.ts';
import { labCookiesSeen } from './models/cookie-lab.ts';
import { loadProgress, markStepDone } from './models/student-progress.ts';
import type { UserDocument } from '../models/user.ts';
import { RecentEntries } from '../lib/recent-entries.ts';
import { setCookieHeader } from './middleware/set-cookie-header.ts';
import { sessionFingerprint } from '../sessions/fingerprint.ts';
import { signedCookieVerdict, signedLoginOf } from '../sessions/signed-cookie.ts';
import { forgedCookiesLeftHint, forgeryHint, forgeryInWrongModeHint, idleHint, loggedInWrongModeHint, labHints, sessionHints, sessionReplayHint, signedCookieHints } from './step-hint-texts.ts';
import type { Visit } from './visit.ts';

/**
 * How the app sees a student do each task: every detector listens to what the shop announces
 * (a request, a login, a logout, a session event) and never asks how a mode works inside.
 */
export interface StepDetector {
  /** The auth mode the task needs; every mode when undefined. */
  mode?: AuthModeName;
  /** A browser already logged in opens the lessons: that login came from the server. */
  enrol?(visit: Visit): void;
  request?(visit: Visit): void | Promise<void>;
  login?(visit: Visit, user: UserDocument): void;
  logout?(visit: Visit): void;
  session?(visit: Visit, event: ShopEventMap['session']): void;
  /** A request while the server runs in another mode than `mode`: what the app saw of the task, which this mode cannot detect. */
  wrongMode?(visit: Visit): void;
}

export function stepDetectors(): StepDetector[] {
  // A login recorded under another boot id happened before a restart.
  const bootId = serverBootId();
  // The student whose global-mode login is in force, until a logout replaces it.
  let globalLogin: { studentId: string; userId: string; credited: boolean } | undefined;

  const forgedCookie: StepDetector = {
    mode: 'cookie',
    enrol: ({ req, remember }) => {
      if (req.user) remember({ cookieLoginEmail: req.user.email });
    },
    login: ({ remember }, user) => remember({ cookieLoginEmail: user.email }),
    logout: ({ remember }) => remember({ cookieLoginEmail: undefined }),
    // The server took this browser for someone it never logged in here: the cookies were forged.
    request: ({ req, evidence, done, hint }) => {
      if (req.user && req.user.email !== evidence?.cookieLoginEmail) done('forged-cookie');
      else hint('forged-cookie', forgeryHint(req));
    },
    wrongMode: ({ req, settings, hint }) => {
      const cookies = req.cookies as Record<string, unknown>;
      if (cookies.loggedIn !== undefined || cookies.userEmail !== undefined) hint('forged-cookie', forgeryInWrongModeHint(req, settings.authMode));
    },
  };

  // Lesson 1's last step, in any mode: the forged cookies gone from the browser.
  const forgedCookiesDeleted: StepDetector = {
    request: ({ req, progress, done, hint }) => {
      if (!progress?.completedSteps.has('forged-cookie')) return;
      const cookies = req.cookies as Record<string, unknown>;
      if (cookies.loggedIn === undefined && cookies.userEmail === undefined) done('forged-cookies-deleted');
      else hint('forged-cookies-deleted', forgedCookiesLeftHint(req));
    },
  };

  const loginVanished: StepDetector = {
    mode: 'request',
    login: ({ remember }) => remember({ requestLoginAt: new Date() }),
    // Logged in on the last request, anonymous on this one.
    request: ({ req, evidence, remember, done, hint }) => {
      if (!evidence?.requestLoginAt || req.user) {
        hint('login-vanished', 'The app has seen no successful login from this browser in request mode yet: log in as alice@example.com.');
        return;
      }
      done('login-vanished');
      remember({ requestLoginAt: undefined });
    },
    wrongMode: ({ req, settings, hint }) => {
      if (req.user) hint('login-vanished', loggedInWrongModeHint(req.user.email, settings.authMode, 'keeps your login from one request to the next, so it does not vanish', 'request'));
    },
  };

  const secondVisitor: StepDetector = {
    mode: 'global',
    login: ({ progress }, user) => {
      globalLogin = progress && { studentId: progress.studentId, userId: String(user.id), credited: false };
    },
    logout: () => {
      globalLogin = undefined;
    },
    // Logged in as that student's user, in a browser other than theirs.
    request: async ({ req, progress, hint }) => {
      const ownLogin = globalLogin !== undefined && globalLogin.studentId === progress?.studentId;
      hint(
        'second-visitor',
        ownLogin
          ? 'Your login is in the server variable: now open the shop in a second browser or a private window, where you never logged in.'
          : 'The server variable holds no login of yours: log in in this browser first.',
      );
      if (!req.user || !globalLogin || globalLogin.credited || ownLogin) return;
      if (String(req.user.id) !== globalLogin.userId) return;
      globalLogin.credited = true;
      markStepDone(await loadProgress(globalLogin.studentId), 'second-visitor');
    },
    wrongMode: ({ req, settings, hint }) => {
      if (req.user) hint('second-visitor', loggedInWrongModeHint(req.user.email, settings.authMode, 'keeps each browser\'s login apart, so a second browser stays logged out', 'global'));
    },
  };

  const sessionSteps: StepDetector = {
    mode: 'session',
    enrol: ({ req, settings, remember }) => {
      if (req.user) remember({ sessionIdHash: sessionFingerprint(req.sessionID), sessionBootId: bootId, sessionStore: settings.sessionStore });
    },
    session: ({ settings, progress, evidence, remember, done }, { event, sessionId }) => {
      const hash = sessionFingerprint(sessionId);
      if (event === 'regenerated') {
        // Login: a new id, issued by this process from this store.
        remember({ sessionIdHash: hash, sessionBootId: bootId, sessionStore: settings.sessionStore, sessionLoggedOutAt: undefined, sessionEndedAt: undefined });
      } else if (event === 'destroyed') {
        remember({ sessionIdHash: hash, sessionBootId: bootId, sessionLoggedOutAt: new Date() });
      } else if (event === 'rejected-signature') {
        done('tampered-sid');
      } else if (event === 'unknown-id' && evidence?.sessionIdHash === hash) {
        // A correctly signed id of this student's that the store no longer knows.
        if (evidence.sessionLoggedOutAt) {
          done('replayed-after-logout');
          // Lesson 10 compares it with the signed cookie's replay, once that one worked.
          if (progress?.completedSteps.has('signed-cookie-replayed')) done('session-replay-refused');
        }
        // Already ended on the server: a restart since loses nothing more.
        else if (evidence.sessionEndedAt) return;
        // Lost only if a memory store held it: a restart to an empty store is not the student's doing.
        else if (evidence.sessionBootId !== bootId && evidence.sessionStore === 'memory') done('lost-in-restart');
        // Not a logout, not a restart: the server ended it (the instructor panel, another of the student's sessions, its limits).
        else remember({ sessionEndedAt: new Date() });
      } else if (event === 'expired' && evidence?.sessionIdHash === hash && !evidence.sessionEndedAt) {
        remember({ sessionEndedAt: new Date() });
      } else if (event === 'unknown-id' && !evidence?.sessionIdHash) {
        // A browser that logged in before it opened the lessons, and whose session has ended since: its login was seen after all.
        remember({ sessionIdHash: hash, sessionBootId: bootId, sessionStore: settings.sessionStore, sessionEndedAt: new Date() });
      }
    },
    request: ({ req, progress, evidence, done, hint }) => {
      const ownLogin = evidence?.sessionIdHash === sessionFingerprint(req.sessionID);
      if (req.user && ownLogin && evidence.sessionBootId !== bootId) done('survived-restart');
      for (const [step, text] of sessionHints(req.user !== undefined && ownLogin, evidence, bootId)) hint(step, text);
      hint('session-replay-refused', sessionReplayHint(progress?.completedSteps.has('signed-cookie-replayed') === true, req.user !== undefined && ownLogin, evidence));
    },
  };

  // Lesson 10: the login cookie the server signed, forged and replayed.
  const signedCookieSteps: StepDetector = {
    mode: 'cookie-session',
    enrol: ({ req, remember }) => {
      const login = signedLoginOf(req);
      if (req.user && login) remember({ signedLoginAt: login.loggedInAt, signedLoggedOutAt: undefined });
    },
    login: ({ req, remember }) => remember({ signedLoginAt: signedLoginOf(req)?.loggedInAt, signedLoggedOutAt: undefined }),
    logout: ({ evidence, remember }) => {
      if (evidence?.signedLoginAt !== undefined) remember({ signedLoggedOutAt: new Date() });
    },
    request: ({ req, evidence, done, hint }) => {
      const verdict = signedCookieVerdict(req);
      // A login cookie whose signature failed: edited value, edited or missing login.sig.
      if (verdict.kind === 'refused') done('signed-cookie-forged');
      // The very login this browser logged out of, accepted again.
      const replayed = verdict.kind === 'valid' && evidence?.signedLoggedOutAt !== undefined && verdict.login.loggedInAt === evidence.signedLoginAt;
      if (replayed) done('signed-cookie-replayed');
      for (const [step, text] of signedCookieHints(verdict.kind, evidence)) hint(step, text);
    },
  };

  // When each student's browser drops its sid cookie: the Expires of the last one the app sent it.
  const cookieDeadlines = new RecentEntries<string, { sessionHash: string; expiresAt: number }>(10_000);

  const idleExpiry: StepDetector = {
    mode: 'session',
    session: ({ evidence, remember, done }, { event, sessionId }) => {
      if (evidence?.idleSessionHash !== sessionFingerprint(sessionId)) return;
      // The browser still sent the cookie, and the server found the session too long idle.
      if (event === 'expired') done('idle-expired');
      // A logout is no expiry.
      if (event === 'destroyed') remember({ idleSessionHash: undefined, idleLimitSeconds: undefined });
    },
    request: ({ req, res, progress, evidence, sessionCookieName, done, hint }) => {
      if (!progress || sessionCookieName === undefined) return;
      const deadline = cookieDeadlines.get(progress.studentId);
      const dropped = deadline !== undefined && deadline.sessionHash === evidence?.idleSessionHash && Date.now() >= deadline.expiresAt;
      if (!req.user && dropped) done('idle-expired');
      else hint('idle-expired', idleHint(req.user !== undefined, evidence, deadline?.sessionHash === evidence?.idleSessionHash ? deadline?.expiresAt : undefined));
      res.once('finish', () => {
        const expiresAt = Date.parse(/;\s*Expires=([^;]+)/i.exec(setCookieHeader(res, sessionCookieName) ?? '')?.[1] ?? '');
        if (req.user && expiresAt > Date.now()) cookieDeadlines.set(progress.studentId, { sessionHash: sessionFingerprint(req.sessionID), expiresAt });
      });
    },
  };

  // In every mode: what the browser did with the cookies the cookie lab set.
  const labCookies: StepDetector = {
    request: ({ req, evidence, remember, done, hint }) => {
      if (!evidence) return;
      const seen = labCookiesSeen(evidence.labCookies, req);
      if (seen.httpOnlySent) done('httponly-cookie');
      if (seen.expired) done('expired-cookie');
      if (seen.firstSightings) remember({ labCookies: seen.labCookies });
      for (const [step, text] of labHints(seen.labCookies)) hint(step, text);
    },
  };

  return [forgedCookie, forgedCookiesDeleted, loginVanished, secondVisitor, sessionSteps, signedCookieSteps, idleExpiry, labCookies];
}

/** One id per start of the server; the workers of a cluster share their primary's, so moving between them is no restart. */
function serverBootId(): string {
  return cluster.isWorker ? `cluster of pid ${process.ppid}` : randomUUID();
}
