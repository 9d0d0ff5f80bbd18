// The session inspector: asks /api/session every 1.5 s and shows the answer next to document.cookie.
// Every value is written with textContent, never as HTML: cookies are whatever the visitor typed.
import { formatTime } from './local-time.js';

const pollEveryMs = 1500;

const cookieStatusTexts = {
  'no cookie': 'Your browser sent no session cookie, so the server has no session for you (yet).',
  'bad signature': 'The session cookie is not signed with any of the server\'s secrets: the server ignores it, as if there were none.',
  'not in the store':
    'The signature verifies, but the store holds no session with this id: it expired, was ended, or lives in another store or process.',
  found: 'The store holds this record for the id in your cookie:',
};

const serverDetails = {
  request: () => [],
  global: (server) => [paragraph(`The server variable holds: ${server.variable ?? 'nobody (undefined)'}.`)],
  cookie: () => [],
  session: (server) => [
    paragraph(`The store holds ${server.sessionCount} ${server.sessionCount === 1 ? 'session' : 'sessions'}, everyone's.`),
    paragraph(cookieStatusTexts[server.cookieStatus]),
    ...(server.session ? sessionRecord(server.session) : []),
  ],
  'cookie-session': (server) => [
    paragraph(signedLoginStatusTexts[server.cookieStatus]),
    ...(server.cookie ? signedLoginCookie(server.cookie) : []),
  ],
};

const signedLoginStatusTexts = {
  'no cookie': 'Your browser sent no login cookie: nobody is logged in, and the server has nothing to look up either.',
  'bad signature':
    'The signature does not match: the value or the .sig cookie was changed (or is missing). The server ignores the cookie, as if there were none.',
  expired: 'The signature verifies, but the server signed it longer ago than the absolute lifetime: it no longer counts.',
  valid: 'The signature verifies, so the server believes every word of it. Nothing on the server could say otherwise: there is nothing on the server.',
};

/** The login cookie taken apart: the decoded JSON, its .sig, its size against the browser's limit. */
function signedLoginCookie(cookie) {
  const check =
    cookie.secretNumber !== null
      ? `verified: HMAC-SHA1 of "${cookie.name}=<value>" with secret ${cookie.secretNumber}`
      : 'FAILED: no secret of the server produces this signature';
  const size =
    cookie.bytes > cookie.limit
      ? `${cookie.bytes} bytes: over the browser's limit of ${cookie.limit}, so a browser would not even keep it`
      : `${cookie.bytes} bytes of the ${cookie.limit} a browser keeps for one cookie, sent with every request`;
  return [
    facts([
      [`${cookie.name} (base64)`, cookie.value.length > 120 ? `${cookie.value.slice(0, 120)}… (${cookie.value.length} characters)` : cookie.value],
      [cookie.sigName, cookie.signature ?? '(none sent)'],
      ['signature check', check],
      ['size', size],
      ['accepted until', cookie.expires ?? 'unknown: no loggedInAt inside'],
    ]),
    paragraph('Decoded from base64: readable by anyone who holds the cookie, not encrypted.'),
    element('pre', cookie.decoded === null ? '(not JSON)' : JSON.stringify(cookie.decoded, null, 2), 'inspector__record'),
  ];
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function paragraph(text) {
  return element('p', text);
}

/** A <dl> from [term, description] pairs. */
function facts(pairs) {
  const list = element('dl', undefined, 'inspector__facts');
  for (const [term, description] of pairs) list.append(element('dt', term), element('dd', description));
  return list;
}

function sessionRecord(session) {
  return [
    facts([
      ['id fingerprint', session.idFingerprint],
      ['expires', session.expires ?? 'when the browser closes (no expiry set)'],
    ]),
    element('pre', JSON.stringify(session.record, null, 2), 'inspector__record'),
  ];
}

/** document.cookie as name/value pairs: only the cookies without HttpOnly. */
function scriptCookies() {
  return document.cookie
    .split('; ')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? { name: '', value: pair } : { name: pair.slice(0, equals), value: pair.slice(equals + 1) };
    });
}

function signedCookieFacts(signed) {
  const payload =
    signed.payload.kind === 'id'
      ? ['id fingerprint', `${signed.payload.fingerprint} (the id itself stays out of this page)`]
      : ['signed data', JSON.stringify(signed.payload.data)];
  const check = signed.verified
    ? `verified with secret ${signed.secretNumber}${signed.secretNumber === 1 ? ' (the one that signs new cookies)' : ' (an older one, still accepted)'}`
    : 'FAILED: no secret of the server produces this signature, so the server ignores the cookie';
  return facts([
    ['prefix', `${signed.prefix} (signed)`],
    payload,
    ['signature', signed.signature || '(none)'],
    ['signature check', check],
  ]);
}

function receivedCookieItem(cookie, visible) {
  const item = element('li');
  item.append(element('strong', cookie.name, 'inspector__cookie-name'));
  const seen = visible.find((candidate) => candidate.name === cookie.name);
  const plainNote = cookie.signed ? '' : ' (plain: the server cannot tell it from a value you typed)';
  const hiddenNote = cookie.signed
    ? ' HttpOnly: the browser keeps it from JavaScript; below is what the server read in it'
    : ' HttpOnly: the browser keeps its value from JavaScript, this page included';
  item.append(element('span', seen ? ` = ${seen.value}${plainNote}` : hiddenNote, 'inspector__cookie-value'));
  if (cookie.signed) item.append(signedCookieFacts(cookie.signed));
  return item;
}

function fillList(list, items, emptyText) {
  list.replaceChildren(...(items.length > 0 ? items : [element('li', emptyText, 'inspector__empty')]));
}

function show(report) {
  const visible = scriptCookies();
  fillList(
    document.getElementById('script-cookies'),
    visible.map(({ name, value }) => {
      const item = element('li');
      item.append(element('strong', name, 'inspector__cookie-name'), element('span', ` = ${value}`, 'inspector__cookie-value'));
      return item;
    }),
    'None: no cookie here is readable by JavaScript.',
  );
  fillList(
    document.getElementById('received-cookies'),
    report.cookies.map((cookie) => receivedCookieItem(cookie, visible)),
    'None: the request carried no cookies.',
  );

  document.getElementById('server-auth-mode').textContent = report.authMode;
  document.getElementById('server-session-store').textContent = report.sessionStore;
  document.getElementById('server-user').textContent = report.user ?? 'nobody (logged out)';
  // The navigation is drawn once, by the server, when the page loads; this pane is live.
  document.getElementById('navigation-stale').hidden = (report.user ?? '') === renderedFor;
  document.getElementById('served-by-row').hidden = report.servedBy === null;
  document.getElementById('server-served-by').textContent = report.servedBy ?? '';
  document.getElementById('server-summary').textContent = report.server.summary;
  document.getElementById('server-details').replaceChildren(...serverDetails[report.server.kind](report.server));
}

function timelineItem(request) {
  const item = element('li', undefined, 'inspector__request');
  const time = formatTime(request.at, { seconds: true });
  item.append(element('strong', `${request.method} ${request.path}`), element('span', ` → ${request.status}, at ${time}`));
  const sent = request.cookiesSent.length > 0 ? request.cookiesSent.join(', ') : 'none';
  const set = request.cookiesSet.map((cookie) => `${cookie.name} = ${cookie.value}${cookie.attributes.map((attribute) => `; ${attribute}`).join('')}`);
  item.append(facts([['cookies sent', sent], ...set.map((line) => ['Set-Cookie', line])]));
  return item;
}

/** The timeline belongs to the lessons: without them the section stays hidden. */
async function showTimeline() {
  const response = await fetch('/api/lessons/timeline', { cache: 'no-store', credentials: 'same-origin' });
  const section = document.getElementById('timeline');
  section.hidden = !response.ok;
  if (!response.ok) return;
  const { requests } = await response.json();
  fillList(document.getElementById('timeline-requests'), requests.map(timelineItem), 'None yet: use the shop in another tab.');
}

const status = document.getElementById('inspector-status');
const renderedFor = document.querySelector('[data-rendered-for]').dataset.renderedFor;
let timer;

async function poll() {
  clearTimeout(timer);
  try {
    const response = await fetch('/api/session', { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    show(await response.json());
    await showTimeline();
    status.textContent = `Updated at ${formatTime(new Date(), { seconds: true })}.`;
  } catch (error) {
    status.textContent = `Could not ask the server (${error.message}); trying again.`;
  }
  timer = setTimeout(poll, pollEveryMs);
}

// A background tab is polled slowly by the browser: catch up at once when it comes back.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) poll();
});
poll();
