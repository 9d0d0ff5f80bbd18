// Lesson pages: asks the server every few seconds what this student has done, and shows new
// feedback without a reload (a task is often done in another tab or another browser).
import { formatTime, localTimesIn } from './local-time.js';
import { showModeBadge } from './mode-badge.js';
const pollMs = 2000;

function showStep(item, doneAt) {
  if (item.classList.contains('task__step--done')) return;
  item.classList.add('task__step--done');
  item.querySelector('.task__pending').hidden = true;
  const feedback = item.querySelector('.task__feedback');
  const time = feedback.querySelector('time');
  time.dateTime = doneAt;
  time.textContent = formatTime(doneAt);
  feedback.hidden = false;
  item.querySelector('[data-hint]').hidden = true;
}

function showHint(item, hint) {
  const box = item.querySelector('[data-hint]');
  box.querySelector('[data-hint-text]').textContent = localTimesIn(hint); // what the student typed may be in it: text, never HTML
  box.hidden = false;
}

function showLessonStatus(item, lesson) {
  const status = item.querySelector('[data-lesson-status]');
  if (status.classList.contains('lesson-status--done')) return;
  const doneSteps = lesson.steps.filter((step) => step.doneAt !== null).length;
  if (lesson.done) {
    status.classList.add('lesson-status--done');
    status.textContent = 'Done ';
    const time = document.createElement('time');
    time.dateTime = lesson.doneAt;
    time.textContent = formatTime(lesson.doneAt);
    status.append(time);
  } else if (doneSteps > 0) {
    status.textContent = `${doneSteps} of ${lesson.steps.length} steps done`;
  }
}

// Who the navigation shows as logged in; the poll says whom the server sees now (another tab may log in or out).
let shownUser = document.querySelector('.main-header__user')?.textContent ?? null;

function element(tag, attributes, ...children) {
  const made = Object.assign(document.createElement(tag), attributes);
  made.append(...children);
  return made;
}

function showLogin(list, user, token) {
  const items = user === null
    ? [element('li', {}, element('a', { href: '/login' }, 'Login')), element('li', {}, element('a', { href: '/signup' }, 'Signup'))]
    : [
        element('li', { className: 'main-header__user' }, user),
        element('li', {}, element('a', { href: '/account/sessions' }, 'Account')),
        element('li', {}, element('form', { action: '/logout', method: 'POST' }, element('input', { type: 'hidden', name: '_csrf', value: token ?? '' }), element('button', { type: 'submit' }, 'Logout'))),
      ];
  list.replaceChildren(...items);
}

async function freshFormToken() {
  const response = await fetch('/api/lessons/form-token', { cache: 'no-store', headers: { Accept: 'application/json' } });
  return response.ok ? (await response.json()).csrfToken : undefined;
}

const warningTitle = (mode) => (mode === 'cookie-session' ? 'Signed, so unforgeable; not revocable.' : 'Insecure on purpose.');

// The mode banner, the badge, the mode's warning and the login in the navigation, as the server sees them now.
async function showServer(server) {
  const status = document.querySelector('[data-mode-status]');
  if (status) {
    // Lesson 11 needs production, which only its start command gives: no mode makes it ready under npm start.
    const needsStart = 'needsProduction' in status.dataset && !server.production;
    const ready = status.dataset.lessonMode === server.authMode && !needsStart;
    status.querySelector('[data-mode-ready]').hidden = !ready;
    status.querySelector('[data-mode-wrong]').hidden = ready || needsStart;
    const production = status.querySelector('[data-mode-production]');
    if (production) production.hidden = !needsStart;
    for (const mode of status.querySelectorAll('[data-server-mode]')) mode.textContent = server.authMode;
    for (const store of status.querySelectorAll('[data-server-store]')) store.textContent = server.sessionStore;
    // Each pending step: "updates by itself", or that the app cannot see it in this mode.
    for (const pending of document.querySelectorAll('.task__pending')) {
      const wrong = pending.querySelector('[data-pending-wrong]');
      if (!wrong) continue;
      pending.querySelector('[data-pending-ready]').hidden = !ready;
      wrong.hidden = ready || needsStart;
      wrong.querySelector('[data-server-mode]').textContent = server.authMode;
    }
  }
  showModeBadge(server);
  let warning = document.querySelector('[data-mode-warning]');
  if (server.warning === null) warning?.remove();
  else {
    if (!warning) {
      warning = element('p', { className: 'mode-warning' });
      warning.dataset.modeWarning = '';
      document.querySelector('.main-header')?.after(warning);
    }
    warning.replaceChildren(element('strong', {}, warningTitle(server.authMode)), ` ${server.warning}`);
  }
  const list = document.querySelector('[data-login-state]');
  if (server.user !== shownUser) {
    shownUser = server.user;
    // A login or logout replaced the visitor's state, and with it the token the page's forms carry.
    const token = await freshFormToken();
    if (token) for (const field of document.querySelectorAll('input[name="_csrf"]')) field.value = token;
    if (list) showLogin(list, server.user, token);
  }
}

async function refresh() {
  // no-store: the browser's cache lets one request per address through at a time, so one poll lost in a
  // restart held back every later one.
  const response = await fetch('/api/lessons/progress', { cache: 'no-store', headers: { Accept: 'application/json' } });
  // 503: the database is out of reach, so the hints shown stay as they were until it is back.
  for (const notice of document.querySelectorAll('[data-database-outage]')) notice.hidden = response.status !== 503;
  if (!response.ok) return;
  const { lessons, server } = await response.json();
  if (server) await showServer(server);
  for (const lesson of lessons) {
    for (const item of document.querySelectorAll(`.lessons__item[data-lesson="${lesson.slug}"]`)) showLessonStatus(item, lesson);
    for (const step of lesson.steps) {
      for (const item of document.querySelectorAll(`.task__step[data-step="${step.id}"]`)) {
        if (step.doneAt !== null) showStep(item, step.doneAt);
        else if (step.hint !== null) showHint(item, step.hint);
      }
    }
  }
}

setInterval(() => {
  if (document.visibilityState === 'visible') refresh().catch(() => {}); // offline for a moment: try again next time
}, pollMs);
