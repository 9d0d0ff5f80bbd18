// Lesson pages: asks the server every few seconds what this student has done, and shows new
// feedback without a reload (a task is often done in another tab or another browser).
import { formatTime, localTimesIn } from './local-time.js';
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

async function refresh() {
  // no-store: the browser's cache lets one request per address through at a time, so one poll lost in a
  // restart held back every later one.
  const response = await fetch('/api/lessons/progress', { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) return;
  const { lessons } = await response.json();
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
