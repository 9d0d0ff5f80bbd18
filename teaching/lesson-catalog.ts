import type { AuthModeName } from '../config.ts';

/**
 * The lecture "What is a Session?" as eleven lessons. Each ends in a task made of steps that the
 * app detects by itself (teaching/step-detectors.ts); a lesson is done when all its steps are.
 */

export const stepIds = [
  'forged-cookie',
  'forged-cookies-deleted',
  'login-vanished',
  'second-visitor',
  'ip-quiz',
  'tampered-sid',
  'survived-restart',
  'lost-in-restart',
  'httponly-cookie',
  'expired-cookie',
  'replayed-after-logout',
  'idle-expired',
  'csrf-refused',
  'signed-cookie-forged',
  'signed-cookie-replayed',
  'session-replay-refused',
  'https-secure-cookie',
  'plain-http-no-cookie',
  'hsts-seen',
] as const;
export type StepId = (typeof stepIds)[number];

export interface LessonStep {
  id: StepId;
  /** What the student does. */
  task: string;
  /** The feedback once the app has seen it happen. */
  doneText: string;
}

export interface Lesson {
  number: number;
  slug: string;
  title: string;
  summary: string;
  /** The auth mode the task needs; undefined when any mode will do. */
  mode: AuthModeName | undefined;
  /** How to start the server in that mode. */
  startCommand: string | undefined;
  /** The task needs the shop as production over HTTPS (its start command), which no switch in the panel can make. */
  needsProduction?: true;
  steps: readonly LessonStep[];
  /** A form on the lesson page that the task uses (a view in teaching/views/lessons). */
  activity?: 'quiz' | 'cookie-lab' | 'idle-limit' | 'cross-site-form' | 'signed-cookie-size' | 'https-check';
  /**
   * The Playwright spec that plays this lesson's point in a real browser (`file`, from the project
   * folder), and its `describe` title (the end both stores' titles share, in lesson 6), which picks
   * out this lesson's stories: `npm run test:login -- --headed --grep "<grep>"`.
   */
  spec?: { file: string; grep: string };
}

export const lessons: readonly Lesson[] = [
  {
    number: 1,
    slug: 'cookies-live-in-the-browser',
    title: 'Cookies live in the browser',
    summary: 'A cookie is data the browser keeps and sends back. The browser, and so its user, can change it.',
    mode: 'cookie',
    startCommand: 'npm run start:cookie',
    spec: { file: 'e2e/auth-modes.spec.ts', grep: 'cookie mode: the login is two cookies the browser keeps' },
    steps: [
      {
        id: 'forged-cookie',
        task: 'Without logging in, create the cookies loggedIn=true and userEmail=bob@example.com in the developer tools. No reload needed: this page checks every 2 seconds, and that request sends them too.',
        doneText: 'You forged it: your browser sent loggedIn=true for a login this server never granted, and the server believed it.',
      },
      {
        id: 'forged-cookies-deleted',
        task: 'Clean up: delete the loggedIn and userEmail cookies in the developer tools (or log out, which deletes them in cookie mode). Your browser would keep them, and they would show in the inspector in every later lesson. This page notices by itself.',
        doneText: 'Your browser no longer sends loggedIn or userEmail: the forged login is gone from it.',
      },
    ],
  },
  {
    number: 2,
    slug: 'not-on-the-request',
    title: 'Why not store the login on the request?',
    summary: 'A request object lives for one request. The next click is a new request that knows nothing.',
    mode: 'request',
    startCommand: 'npm run start:request',
    spec: { file: 'e2e/auth-modes.spec.ts', grep: 'request mode: the login is kept on the request object' },
    steps: [
      {
        id: 'login-vanished',
        task: 'Log in as alice@example.com and look at the navigation on the page you land on.',
        doneText: 'The login vanished: the server accepted your password, then your very next request (the redirect) arrived anonymous.',
      },
    ],
  },
  {
    number: 3,
    slug: 'not-in-a-global-variable',
    title: 'Why not a global variable?',
    summary: 'A variable in the server process is shared by every visitor at once.',
    mode: 'global',
    startCommand: 'npm run start:global',
    spec: { file: 'e2e/auth-modes.spec.ts', grep: 'global mode: the login is one variable in the server' },
    steps: [
      {
        id: 'second-visitor',
        task: 'Log in in this browser, then open the shop in a second browser or a private window, where you never logged in.',
        doneText: 'The other browser was logged in as you: the server served your login to a visitor who never typed a password.',
      },
    ],
  },
  {
    number: 4,
    slug: 'not-by-ip-address',
    title: 'Why not recognise visitors by IP address?',
    summary: 'Many people share one address, one person changes addresses, and on localhost everyone is 127.0.0.1.',
    mode: undefined,
    startCommand: undefined,
    steps: [
      {
        id: 'ip-quiz',
        task: 'Answer the question below.',
        doneText: 'Right: one public address can stand for a whole school, so it cannot say who is logged in.',
      },
    ],
    activity: 'quiz',
  },
  {
    number: 5,
    slug: 'sessions',
    title: 'Sessions: a signed id in the cookie, the data on the server',
    summary: 'The cookie carries only a random id and its signature; the login itself stays on the server.',
    mode: 'session',
    startCommand: 'npm start',
    spec: { file: 'e2e/auth-modes.spec.ts', grep: 'session mode: the cookie holds a signed session id' },
    steps: [
      {
        id: 'tampered-sid',
        task: 'Log in, then change one character of the sid cookie in the developer tools. No reload needed: this page checks every 2 seconds, and that request sends it too.',
        doneText: 'The server ignored your edited sid: its signature no longer matched, so you were a stranger again.',
      },
    ],
  },
  {
    number: 6,
    slug: 'session-stores',
    title: 'Where sessions live: memory or MongoDB',
    summary: 'The store decides what survives a restart and what several servers can share.',
    mode: 'session',
    startCommand: 'npm start',
    spec: { file: 'e2e/shop-session.spec.ts', grep: 'session store: a whole visit to the shop' },
    steps: [
      {
        id: 'survived-restart',
        task: "With the MongoDB store (the instructor panel's switch, or npm start), log in, and restart the server (the panel's Restart button, or Ctrl+C and start it again). This page notices by itself once the server is back: its check every 2 seconds sends your sid.",
        doneText: 'Your login survived the restart: the session was in MongoDB, not in the process that stopped.',
      },
      {
        id: 'lost-in-restart',
        task: "With the memory store (the instructor panel's switch, or npm run start:memory), log in, and restart the server (the panel's Restart button, or Ctrl+C and start it again). This page notices by itself once the server is back: its check every 2 seconds sends your sid.",
        doneText: 'Your login was lost in the restart: your browser still sent its signed sid, but the new process had never heard of it.',
      },
    ],
  },
  {
    number: 7,
    slug: 'cookie-attributes',
    title: 'Cookie attributes',
    summary: 'HttpOnly, Secure, SameSite, Max-Age, Domain and Path decide who may read a cookie, where it goes, and how long it lives.',
    mode: undefined,
    startCommand: undefined,
    steps: [
      {
        id: 'httponly-cookie',
        task: "Make a cookie with HttpOnly: the lab's table shows that your browser sends it back, but document.cookie does not show it. No reload needed with the form's Path=/: this page checks every 2 seconds, and that request sends it too.",
        doneText: 'Your browser sent back an HttpOnly cookie that page scripts cannot read.',
      },
      {
        id: 'expired-cookie',
        task: 'Make a cookie with a Max-Age of a few seconds, watch it arrive, then wait until your browser stops sending it.',
        doneText: 'Your cookie expired: the browser sent it while it was fresh and dropped it after its Max-Age.',
      },
    ],
    activity: 'cookie-lab',
  },
  {
    number: 8,
    slug: 'logout-and-expiry',
    title: 'Logout and expiry',
    summary: 'Logging out must end the session on the server, so a copy of the old cookie is worthless.',
    mode: 'session',
    startCommand: 'npm start',
    steps: [
      {
        id: 'replayed-after-logout',
        task: 'Log in, copy the value of the sid cookie, log out, and put the old sid back in the developer tools. No reload needed: this page checks every 2 seconds, and that request sends it too.',
        doneText: 'The server refused your old cookie: its signature was fine, but the session it named was destroyed at logout.',
      },
      {
        id: 'idle-expired',
        task: 'Log in, shorten your own session\'s idle limit with the form below, and leave the shop alone for longer than that. This page notices by itself: its checks every 2 seconds do not count as activity.',
        doneText: 'Your session ended while you were away: nothing came from your browser within the idle limit, so the session expired and you came back a stranger.',
      },
    ],
    activity: 'idle-limit',
  },
  {
    number: 9,
    slug: 'csrf-and-samesite',
    title: 'CSRF and SameSite',
    summary: 'Any site can make your browser send a form to the shop. SameSite cookies and a token in every form make the shop refuse it.',
    mode: undefined,
    startCommand: undefined,
    steps: [
      {
        id: 'csrf-refused',
        task: 'Open the other site with the link below and press its button: it sends a form to this shop from another site.',
        doneText: 'The shop refused the other site\'s form: your browser sent it without your cookies (SameSite=Lax), and it carried no CSRF token.',
      },
    ],
    activity: 'cross-site-form',
  },
  {
    number: 10,
    slug: 'signed-cookies',
    title: "Signed cookies: can't forge, can't revoke",
    summary:
      'cookie-session keeps the whole login in a cookie the server signs. Nobody can forge it, and nobody, not even the server, can take it back before it expires.',
    mode: 'cookie-session',
    startCommand: 'npm start -- --auth-mode=cookie-session',
    spec: { file: 'e2e/auth-modes.spec.ts', grep: 'cookie-session mode: the whole login is in a signed cookie' },
    steps: [
      {
        id: 'signed-cookie-forged',
        task: 'Log in, then change the login cookie in the developer tools (a character of its value, or of login.sig). No reload needed: this page checks every 2 seconds, and that request sends it too.',
        doneText: 'The server refused your edited cookie: login.sig no longer matched an HMAC of login=<value>, and only the server, which knows SESSION_SECRET, can compute a new one.',
      },
      {
        id: 'signed-cookie-replayed',
        task: 'Log in, copy the values of login and login.sig, log out, and put both cookies back in the developer tools. No reload needed: this page checks every 2 seconds, and that request sends them too.',
        doneText: 'You were logged in again with a cookie from before your logout: its signature is still right, and the server keeps no record that could say this login ended.',
      },
      {
        id: 'session-replay-refused',
        task: "Now the same in session mode (the instructor panel's switch, or npm start): log in, copy the sid cookie, log out, and put it back. No reload needed: this page checks every 2 seconds, and that request sends it too.",
        doneText: 'Session mode refused the same replay: the signature was fine, but logout had destroyed the session on the server. That record on the server is what lets a login be taken back.',
      },
    ],
    activity: 'signed-cookie-size',
  },
  {
    number: 11,
    slug: 'https-in-production',
    title: 'HTTPS in production',
    summary:
      'In production the session cookie is __Host-sid with Secure: the browser sends it only over HTTPS, and the server sets it only on a request it knows came over HTTPS.',
    mode: 'session',
    startCommand: 'npm run start:https',
    needsProduction: true,
    steps: [
      {
        id: 'https-secure-cookie',
        task: 'Start the shop with npm run start:https, open the https:// address it prints, accept the certificate, and log in with an account from the demo-accounts.txt file it names.',
        doneText: 'Over HTTPS the login set __Host-sid with Secure, Path=/ and no Domain: your browser sends it to this host alone, and only over HTTPS (Chrome and Firefox make one exception: http://localhost).',
      },
      {
        id: 'plain-http-no-cookie',
        task: "Now open the shop's own port over plain HTTP (the http:// address npm run start:https prints) and log in there. If it shows you logged in, log out first: on localhost Chrome and Firefox send Secure cookies over plain HTTP too.",
        doneText: 'Your password was right, yet the response set no session cookie: express-session will not set a Secure cookie on a request that did not come over HTTPS, so you are still a stranger.',
      },
      {
        id: 'hsts-seen',
        task: 'Open this lesson over HTTPS and find the Strict-Transport-Security header your browser got with it (shown below, and in the Network panel of the developer tools).',
        doneText: 'This page came over HTTPS with Strict-Transport-Security: a browser that trusts the certificate will use only HTTPS for this host until max-age runs out.',
      },
    ],
    activity: 'https-check',
  },
];

/** How far a student got in a lesson: it is done when every step is, at the last one's time. */
export function lessonCompletion(lesson: Lesson, completedSteps: ReadonlyMap<string, Date>) {
  const times = lesson.steps.flatMap(({ id }) => completedSteps.get(id) ?? []);
  const done = times.length === lesson.steps.length;
  return {
    doneCount: times.length,
    done,
    doneAt: done ? new Date(Math.max(...times.map((time) => time.getTime()))) : undefined,
  };
}

export function lessonBySlug(slug: string): Lesson | undefined {
  return lessons.find((lesson) => lesson.slug === slug);
}

export function lessonWithStep(step: StepId): Lesson {
  const lesson = lessons.find((candidate) => candidate.steps.some(({ id }) => id === step));
  if (!lesson) throw new Error(`No lesson has the step ${step}.`);
  return lesson;
}

/** Lesson 4's question, checked on the server. */
export const ipQuiz = {
  question:
    'Your whole class uses the school Wi-Fi. Alice logs in to the shop. Why is "a request from the address Alice logged in from is Alice" a bad rule?',
  answers: [
    {
      id: 'shared-address',
      text: 'The school router (NAT) gives every laptop in the room the same public address, so the whole class would be Alice.',
      correct: true,
      explanation: '',
    },
    {
      id: 'too-slow',
      text: 'Reading the IP address of every request is too slow.',
      correct: false,
      explanation: 'Not quite: the address comes with every connection for free. Think about who else has that address.',
    },
    {
      id: 'hidden-address',
      text: 'Browsers hide the IP address from the server.',
      correct: false,
      explanation: 'Not quite: the server sees the address of every connection; the trouble is how many people can stand behind one.',
    },
  ],
} as const;
