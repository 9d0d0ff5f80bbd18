import type { Request } from 'express';
import type { StepId } from './lesson-catalog.ts';
import type { Evidence, LabCookie } from './models/lesson-progress.ts';

/** What each task still lacks, in the words of what the browser sent: "loggedIn=true but no userEmail". */

/** A cookie as the browser sent it, cut short: the student typed it, anything may be in it. */
function sent(cookies: Record<string, unknown>, name: string): string {
  const value = cookies[name];
  return value === undefined ? `no ${name}` : `${name}=${String(typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 80)}`;
}

export function forgeryHint(req: Request): string {
  const cookies = req.cookies as Record<string, unknown>;
  const saw = `Your browser sent ${sent(cookies, 'loggedIn')} and ${sent(cookies, 'userEmail')}.`;
  if (req.user) return `${saw} Those are the cookies of your own login, set by the server: change userEmail to another account, such as bob@example.com.`;
  if (cookies.loggedIn !== 'true') return `${saw} The server wants loggedIn=true, exactly.`;
  if (cookies.userEmail === undefined) return `${saw} The server also wants userEmail, set to the email of an account.`;
  return `${saw} No account has that email: try bob@example.com.`;
}

/** Lesson 1's clean-up: which of the forged cookies the browser still sends. */
export function forgedCookiesLeftHint(req: Request): string {
  const cookies = req.cookies as Record<string, unknown>;
  const left = ['loggedIn', 'userEmail'].filter((name) => cookies[name] !== undefined).map((name) => sent(cookies, name));
  return `Your browser still sends ${left.join(' and ')}: delete ${left.length === 1 ? 'it' : 'both'} in the developer tools (Application, then Cookies, then this site).`;
}

/** Lesson 1's cookies, sent while the server runs in a mode that never reads them. */
export function forgeryInWrongModeHint(req: Request, running: string): string {
  const cookies = req.cookies as Record<string, unknown>;
  return (
    `Your browser sent ${sent(cookies, 'loggedIn')} and ${sent(cookies, 'userEmail')}, but this server runs in ${running} mode, which never reads those cookies, ` +
    "so the forgery cannot work here and this step cannot be seen: switch to cookie mode (the instructor panel, linked above), then reload the shop."
  );
}

/** A login in a mode where the task's point does not happen: `what` says what this mode does instead. */
export function loggedInWrongModeHint(email: string, running: string, what: string, needed: string): string {
  return `You are logged in as ${email}, in ${running} mode, which ${what}: this step cannot be seen here. Switch to ${needed} mode (the instructor panel, linked above), then log in again.`;
}

/** Lessons 5, 6 and 8, from this browser's last session login as the evidence holds it. */
export function sessionHints(loggedInWithIt: boolean, evidence: Evidence | undefined, bootId: string): [StepId, string][] {
  if (!evidence?.sessionIdHash) {
    const logInFirst = 'The app has seen no login from this browser in session mode yet: log in first.';
    return [
      ['tampered-sid', logInFirst],
      ['survived-restart', logInFirst],
      ['lost-in-restart', logInFirst],
      ['replayed-after-logout', logInFirst],
    ];
  }
  if (evidence.sessionEndedAt && !loggedInWithIt) {
    const ended = sessionEndedText(evidence.sessionEndedAt);
    return [
      ['tampered-sid', `${ended} Log in again, then change one character of the sid cookie.`],
      ['survived-restart', `${ended} Log in again with the MongoDB store, then restart the server.`],
      ['lost-in-restart', `${ended} Log in again with the memory store, then restart the server.`],
      ['replayed-after-logout', `${ended} Log in again, copy the value of the sid cookie, then log out.`],
    ];
  }
  const store = evidence.sessionStore === 'memory' ? 'the memory store' : 'the MongoDB store';
  const restart = evidence.sessionBootId === bootId ? "the server has not restarted since: restart it (the instructor panel's Restart button): this page notices by itself once the server is back." : 'the server has restarted since.';
  return [
    [
      'tampered-sid',
      loggedInWithIt
        ? 'Your browser sent a sid whose signature matched, and you are logged in with it: change one character of its value.'
        : 'Your browser sent no sid of a login: log in, then change one character of the sid cookie.',
    ],
    [
      'survived-restart',
      evidence.sessionStore === 'memory' ? "Your last login was with the memory store: this step needs the MongoDB store (the instructor panel's switch, or npm start), and a login there." : `You logged in with ${store}; ${restart}`,
    ],
    [
      'lost-in-restart',
      evidence.sessionStore === 'memory' ? `You logged in with ${store}; ${restart}` : "Your last login was with the MongoDB store, which keeps it: switch to the memory store (the instructor panel, or npm run start:memory) and log in there.",
    ],
    [
      'replayed-after-logout',
      evidence.sessionLoggedOutAt
        ? 'You logged out, and your browser has not sent that old sid back yet: put its value back in the developer tools; this page notices by itself.'
        : loggedInWithIt
          ? 'You are logged in: copy the value of the sid cookie, then log out.'
          : 'You are not logged in: log in, copy the value of the sid cookie, then log out.',
    ],
  ];
}

/** A login the app saw, whose session the server ended without a logout from this browser. */
function sessionEndedText(endedAt: Date): string {
  return (
    `The app saw your login in session mode; its session was ended on the server at ${endedAt.toISOString()} ` +
    '(from the instructor panel, from another of your sessions, or by its time limit), so your sid names nothing now and you are logged out.'
  );
}

/** Lesson 10's first two steps, from what the login cookie of this request turned out to be. */
export function signedCookieHints(verdict: 'none' | 'refused' | 'expired' | 'valid', evidence: Evidence | undefined): [StepId, string][] {
  const forged =
    verdict === 'valid'
      ? 'Your browser sent a login cookie whose login.sig matches, so you are logged in with it: change a character of its value (or of login.sig) in the developer tools.'
      : 'Your browser sent no login cookie of a login: log in, then change a character of the login cookie.';
  const replay =
    evidence?.signedLoginAt === undefined
      ? 'The app has seen no login from this browser in cookie-session mode yet: log in first.'
      : evidence.signedLoggedOutAt === undefined
        ? verdict === 'valid'
          ? 'You are logged in: copy the values of login and login.sig, then log out.'
          : 'You are not logged in (your browser sent no login cookie whose login.sig matches): log in, copy the values of login and login.sig, then log out.'
        : verdict === 'valid'
          ? 'Your browser sent a signed login cookie, but not the one from before your logout: put back the values you copied then.'
          : 'You logged out, and your browser has not sent the old login and login.sig back yet: put both back in the developer tools; this page notices by itself.';
  return [
    ['signed-cookie-forged', forged],
    ['signed-cookie-replayed', replay],
    ['session-replay-refused', 'This step needs session mode, once the replay above has worked: switch in the instructor panel, or start the server with npm start.'],
  ];
}

/** Lesson 10's last step, seen in session mode. */
export function sessionReplayHint(signedReplayDone: boolean, loggedInWithIt: boolean, evidence: Evidence | undefined): string {
  if (!signedReplayDone) return 'First replay the signed cookie in cookie-session mode (the step above): this step compares session mode with it.';
  if (!evidence?.sessionIdHash) return 'The app has seen no login from this browser in session mode yet: log in first.';
  if (evidence.sessionEndedAt && !loggedInWithIt) return `${sessionEndedText(evidence.sessionEndedAt)} Log in again, copy the value of the sid cookie, then log out.`;
  if (evidence.sessionLoggedOutAt) return 'You logged out, and your browser has not sent that old sid back yet: put its value back in the developer tools; this page notices by itself.';
  return loggedInWithIt ? 'You are logged in: copy the value of the sid cookie, then log out.' : 'Log in, copy the value of the sid cookie, then log out.';
}

/** Lesson 8's idle step; `cookieExpiresAt`: when the browser drops the shortened session's cookie, if known. */
export function idleHint(loggedIn: boolean, evidence: Evidence | undefined, cookieExpiresAt: number | undefined): string {
  if (!evidence?.idleSessionHash) {
    return loggedIn
      ? 'You are logged in, and your session has the server\'s idle limit: shorten it with the form below.'
      : 'You are not logged in: log in, then shorten your session\'s idle limit with the form below.';
  }
  const limit = `Your session ends after ${evidence.idleLimitSeconds} seconds without a request`;
  if (cookieExpiresAt === undefined) return `${limit}: leave the shop alone that long; this page notices by itself.`;
  return `${limit}; your browser keeps the sid cookie until ${new Date(cookieExpiresAt).toISOString()}. Leave the shop alone until then: this page notices by itself.`;
}

/** Lesson 7, from the cookies the lab has set for this student. */
export function labHints(labCookies: readonly LabCookie[]): [StepId, string][] {
  if (labCookies.length === 0) {
    const makeOne = 'The lab has not set a cookie for you yet: use the form below.';
    return [
      ['httponly-cookie', makeOne],
      ['expired-cookie', makeOne],
    ];
  }
  const httpOnly = labCookies.find((cookie) => cookie.httpOnly);
  const expiring = labCookies.find((cookie) => cookie.expiresAt);
  return [
    [
      'httponly-cookie',
      httpOnly
        ? pathCoversLabPage(httpOnly.path)
          ? `Your browser has not sent ${httpOnly.name} (HttpOnly) back yet: this page checks again by itself.`
          : `Your browser sends ${httpOnly.name} only to pages under Path=${httpOnly.path}, and this page is not one: open ${httpOnly.path} once, then come back.`
        : `None of your lab cookies (${labCookies.map(({ name }) => name).join(', ')}) is HttpOnly: make one with HttpOnly ticked.`,
    ],
    [
      'expired-cookie',
      !expiring
        ? 'None of your lab cookies has a Max-Age: make one with a Max-Age of a few seconds.'
        : expiring.seenAt
          ? `Your browser sent ${expiring.name} while it was fresh; it expires at ${expiring.expiresAt?.toISOString()}, and this page checks again by itself.`
          : `Your browser has not sent ${expiring.name} back yet: it must arrive once before it expires.`,
    ],
  ];
}

/** RFC 6265bis 5.1.4 path-match: does a cookie with this Path come with the lab page's own checks? */
function pathCoversLabPage(cookiePath: string): boolean {
  const page = '/lessons/cookie-attributes/sent-cookies'; // the page's own check, which the detector watches
  return page === cookiePath || (page.startsWith(cookiePath) && (cookiePath.endsWith('/') || page[cookiePath.length] === '/'));
}
