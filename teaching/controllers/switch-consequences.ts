import type { LiveSettings } from '../../sessions/live-auth-mode.ts';

/* What a live switch does to the logins that exist at that moment, said plainly for the panel. */

type Setting = 'request' | 'global' | 'cookie' | 'session/memory' | 'session/mongodb' | 'cookie-session';

export const allSettings: readonly LiveSettings[] = [
  { authMode: 'request', sessionStore: 'memory' },
  { authMode: 'global', sessionStore: 'memory' },
  { authMode: 'cookie', sessionStore: 'memory' },
  { authMode: 'session', sessionStore: 'memory' },
  { authMode: 'session', sessionStore: 'mongodb' },
  { authMode: 'cookie-session', sessionStore: 'memory' },
];

const stopsCounting: Record<Setting, string> = {
  request: 'Request mode remembered nobody, so no login is lost.',
  global: 'The login in the global variable stops counting; the variable keeps it, and switching back to global mode brings it back.',
  cookie:
    'The loggedIn and userEmail cookies stay in the browsers, but the server stops believing them; switching back to cookie mode believes them again.',
  'session/memory':
    "Logins in the memory store stop counting. Their records stay in this process's memory until it restarts: switching back brings back the logins whose browsers still hold their cookie.",
  'session/mongodb':
    'Logins in the MongoDB store stop counting. Their records stay in the database until they expire: switching back brings back the logins whose browsers still hold their cookie.',
  'cookie-session':
    'The signed login cookies stay in the browsers, but the server stops reading them; switching back makes every one that has not expired count again: the server never had a list of them to end.',
};

const countsNow: Record<Setting, string> = {
  request: 'From then on nobody stays logged in: every login is forgotten with its request.',
  global: 'From then on one server variable decides: whoever logs in next is logged in for everybody.',
  cookie: 'From then on any browser that has, or forges, loggedIn=true and a userEmail cookie is logged in as that user.',
  'session/memory':
    'From then on only sessions in the memory store count: everybody else logs in again. A browser whose cookie names no session there gets no new cookie (saveUninitialized: false): the old one stays, ignored, until a login replaces it or it expires, and switching back can make it count again.',
  'session/mongodb':
    'From then on only sessions in MongoDB count: everybody else logs in again. A browser whose cookie names no session there gets no new cookie (saveUninitialized: false): the old one stays, ignored, until a login replaces it or it expires, and switching back can make it count again.',
  'cookie-session':
    'From then on only a login cookie signed with SESSION_SECRET counts: everybody logs in again, and a signed cookie from an earlier visit to this mode counts again until it expires.',
};

/** Where the CSRF token of an open form lives under each setting. */
export function settingName({ authMode, sessionStore }: LiveSettings): Setting {
  return authMode === 'session' ? `session/${sessionStore}` : authMode;
}

/** What leaving the current setting does to its logins, whichever setting comes next. */
export function leavingConsequences(from: LiveSettings): string {
  return stopsCounting[settingName(from)];
}

/** What counts after a switch to `to`, and what happens to forms opened before it. */
export function arrivingConsequences(from: LiveSettings, to: LiveSettings): string {
  const [before, after] = [settingName(from), settingName(to)];
  if (before === after) return 'Nothing changes: this is the current setting.';
  // An anonymous visitor's CSRF token is in the signed visitor cookie in every setting; a logged-in one's was in the old session.
  const openForms = before.startsWith('session/')
    ? ' Forms opened while logged in kept their CSRF token in the old session: sending one fails once with "Form expired", and reloading the page fixes it.'
    : '';
  return `${countsNow[after]}${openForms}`;
}

export function consequencesOf(from: LiveSettings, to: LiveSettings): string {
  if (settingName(from) === settingName(to)) return arrivingConsequences(from, to);
  return `${leavingConsequences(from)} ${arrivingConsequences(from, to)}`;
}
