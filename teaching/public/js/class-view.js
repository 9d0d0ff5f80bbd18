// The instructor's class view: asks for everyone's progress every 3 s and redraws the grid.
// Names are whatever students typed: written with textContent, never as HTML.
import { formatTime } from './local-time.js';
import { showModeBadge } from './mode-badge.js';

const refreshEveryMs = 3000;

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

function row(student, lessons) {
  const tr = document.createElement('tr');
  const name = document.createElement('th');
  name.scope = 'row';
  name.textContent = student.name;
  tr.append(name, ...student.lessons.map((lesson, index) => cell(lesson, lessons[index].stepCount)));
  return tr;
}

async function refresh() {
  const status = document.getElementById('class-status');
  try {
    const response = await fetch('/instructor/class/progress', { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const { lessons, students, server } = await response.json();
    if (server) showModeBadge(server);
    const rows = students.map((student) => row(student, lessons));
    if (rows.length === 0) {
      const empty = document.createElement('td');
      empty.colSpan = lessons.length + 1;
      empty.textContent = 'No student has done anything yet.';
      rows.push(document.createElement('tr'));
      rows[0].append(empty);
    }
    document.getElementById('class-rows').replaceChildren(...rows);
    status.textContent = `Updated at ${formatTime(new Date(), { seconds: true })}.`;
  } catch (error) {
    status.textContent = `Could not ask the server (${error.message}); trying again.`;
  }
  setTimeout(refresh, refreshEveryMs);
}

refresh();
