// The instructor's class view: asks for everyone's progress every 3 s and redraws the grid.
// Names are whatever students typed: written with textContent, never as HTML.
import { formatTime } from './local-time.js';
import { showModeBadge } from './mode-badge.js';

const refreshEveryMs = 3000;
const showArchived = new URLSearchParams(location.search).get('archived') === '1';

function cell(lesson, total) {
  const td = document.createElement('td');
  // Each step and when it was done, on hover.
  td.title = lesson.steps.map((step) => `${step.id}: ${step.doneAt === null ? 'not yet' : formatTime(step.doneAt)}`).join('\n');
  if (lesson.done) {
    const time = document.createElement('time');
    time.dateTime = lesson.doneAt;
    time.textContent = formatTime(lesson.doneAt);
    td.append(time);
    td.className = 'class-view__done';
  } else {
    td.textContent = lesson.doneCount > 0 ? `${lesson.doneCount}/${total}` : '–';
  }
  return td;
}

const label = (student) => (student.code === null ? student.name : `${student.name} (${student.code})`);

/** The lesson last opened, and a warning when the server's mode cannot detect its task. */
function currentLessonCell(current) {
  const td = document.createElement('td');
  td.className = 'class-view__current';
  if (current === null) {
    td.textContent = '–';
    return td;
  }
  td.textContent = `${current.number}. ${current.title}`;
  if (!current.modeSuits) {
    const warning = document.createElement('strong');
    warning.className = 'class-view__wrong-mode';
    warning.textContent = `needs ${current.mode} mode`;
    td.append(' ', warning);
  }
  return td;
}

function actionsCell(student) {
  const td = document.createElement('td');
  const form = document.getElementById('student-actions').content.firstElementChild.cloneNode(true);
  form.elements.student.value = student.key;
  const archived = student.group === 'archived';
  for (const button of form.querySelectorAll('button')) {
    button.setAttribute('aria-label', `${button.textContent} ${label(student)}`);
    if (button.dataset.action === (archived ? 'archive' : 'restore')) button.remove();
  }
  form.addEventListener('submit', (event) => {
    const remove = event.submitter?.dataset.action === 'remove';
    if (remove && !confirm(`Remove ${label(student)} and all their progress? This cannot be undone.`)) event.preventDefault();
  });
  td.append(form);
  return td;
}

function row(student, lessons) {
  const tr = document.createElement('tr');
  const name = document.createElement('th');
  name.scope = 'row';
  name.textContent = label(student);
  tr.append(name, currentLessonCell(student.currentLesson), ...student.lessons.map((lesson, index) => cell(lesson, lessons[index].stepCount)), actionsCell(student));
  return tr;
}

/** A row naming the group of rows below it. */
function groupRow(text, columns) {
  const tr = document.createElement('tr');
  const th = document.createElement('th');
  th.scope = 'rowgroup';
  th.colSpan = columns;
  th.className = 'class-view__group';
  th.textContent = text;
  tr.append(th);
  return tr;
}

function rowsOf({ lessons, students, archived, recentHours }) {
  const columns = lessons.length + 3;
  const groups = [
    [`Active in the last ${recentHours} hours`, students.filter(({ group }) => group === 'recent')],
    [`Not active in the last ${recentHours} hours`, students.filter(({ group }) => group === 'rest')],
    ['Archived', archived],
  ];
  const rows = groups.flatMap(([title, members]) => (members.length === 0 ? [] : [groupRow(title, columns), ...members.map((student) => row(student, lessons))]));
  if (students.length === 0) {
    const empty = document.createElement('td');
    empty.colSpan = columns;
    empty.textContent = archived.length > 0 ? 'Every student is archived.' : 'No student has done anything yet.';
    const tr = document.createElement('tr');
    tr.append(empty);
    rows.unshift(tr);
  }
  return rows;
}

async function refresh() {
  const status = document.getElementById('class-status');
  try {
    const response = await fetch(`/instructor/class/progress${showArchived ? '?archived=1' : ''}`, { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const progress = await response.json();
    if (progress.server) showModeBadge(progress.server);
    document.getElementById('class-rows').replaceChildren(...rowsOf(progress));
    status.textContent = `Updated at ${formatTime(new Date(), { seconds: true })}.`;
  } catch (error) {
    status.textContent = `Could not ask the server (${error.message}); trying again.`;
  }
  setTimeout(refresh, refreshEveryMs);
}

refresh();
