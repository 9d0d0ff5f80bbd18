import type { Request, Response } from 'express';
import { sessionFingerprint } from '../sessions/fingerprint.ts';
import { lessonBySlug, lessonCompletion, lessons } from './lesson-catalog.ts';
import { archivedStudents, recentStudents, removeStudent, setArchived, type StudentProgress } from './models/student-progress.ts';

/** Students active this recently come first, in a steady order by name: their rows do not jump while the class works. */
const recentHours = 3;
const studentKeyPattern = /^[0-9a-f]{16}$/;

/** A hash, never the id itself: the id is what the student cookie holds. Forms name a student by it. */
const keyOf = (student: StudentProgress) => sessionFingerprint(student.studentId);
const nameOf = (student: StudentProgress) => student.displayName ?? `student ${keyOf(student).slice(0, 8)}`;
/** "Ada" and "ada" look like one student in the grid. */
const sameName = (name: string) => name.toLocaleLowerCase();

function byRecentThenName(now: number) {
  const isRecent = (student: StudentProgress) => now - (student.activeAt?.getTime() ?? 0) < recentHours * 3_600_000;
  return (students: StudentProgress[]) => {
    const recent = students.filter(isRecent).sort((a, b) => nameOf(a).localeCompare(nameOf(b)) || keyOf(a).localeCompare(keyOf(b)));
    return { recent, rest: students.filter((student) => !isRecent(student)) };
  };
}

/** The lesson a student opened last, and whether the server's mode right now lets its task be detected. */
function currentLessonOf(student: StudentProgress, authMode: string) {
  const lesson = student.currentLesson === undefined ? undefined : lessonBySlug(student.currentLesson);
  if (!lesson) return null;
  return { number: lesson.number, title: lesson.title, mode: lesson.mode ?? null, modeSuits: lesson.mode === undefined || lesson.mode === authMode };
}

/** The instructor's grid: students by name (with a short code when two share one), every lesson, when each was done. */
async function classProgress(authMode: string, withArchived: boolean) {
  const { recent, rest } = byRecentThenName(Date.now())(await recentStudents());
  const archived = withArchived ? await archivedStudents() : [];
  const listed = [...recent, ...rest, ...archived];
  const nameCounts = new Map<string, number>();
  for (const student of listed) nameCounts.set(sameName(nameOf(student)), (nameCounts.get(sameName(nameOf(student))) ?? 0) + 1);
  const row = (group: 'recent' | 'rest' | 'archived') => (student: StudentProgress) => ({
    key: keyOf(student),
    name: nameOf(student),
    code: (nameCounts.get(sameName(nameOf(student))) ?? 0) > 1 ? keyOf(student).slice(0, 4) : null,
    group,
    activeAt: student.activeAt?.toISOString() ?? null,
    currentLesson: currentLessonOf(student, authMode),
    lessons: lessons.map((lesson) => {
      const { done, doneAt, doneCount } = lessonCompletion(lesson, student.completedSteps);
      const steps = lesson.steps.map(({ id }) => ({ id, doneAt: student.completedSteps.get(id)?.toISOString() ?? null }));
      return { done, doneAt: doneAt?.toISOString() ?? null, doneCount, steps };
    }),
  });
  return {
    recentHours,
    lessons: lessons.map(({ number, slug, title, steps }) => ({ number, slug, title, stepCount: steps.length })),
    students: [...recent.map(row('recent')), ...rest.map(row('rest'))],
    archived: archived.map(row('archived')),
  };
}

/** The listed or archived student a form names by key; undefined when there is none (any more). */
async function listedStudent(key: unknown): Promise<StudentProgress | undefined> {
  if (typeof key !== 'string' || !studentKeyPattern.test(key)) return undefined;
  const candidates = [...(await recentStudents()), ...(await archivedStudents())];
  return candidates.find((student) => keyOf(student) === key);
}

const withArchivedShown = (req: Request) => req.query.archived === '1';

/** One of the class view's forms: find the student, act, say what happened, back to the view as it was. */
function studentAction(act: (student: StudentProgress) => void, done: (label: string) => string) {
  return async (req: Request, res: Response) => {
    const student = await listedStudent(req.body?.student);
    if (student) act(student);
    // The code too: the message must name one student even when two share the name.
    req.flash(student ? 'success' : 'error', student ? done(`${nameOf(student)} (${keyOf(student).slice(0, 4)})`) : 'That student is not in the class view (any more).');
    res.redirect(withArchivedShown(req) ? '/instructor/class?archived=1' : '/instructor/class');
  };
}

export function getPage(req: Request, res: Response) {
  res.render('instructor/class', { pageTitle: 'Class view', stylesheets: ['/css/inspector.css'], lessons, showArchived: withArchivedShown(req) });
}

export async function getProgress(req: Request, res: Response) {
  // The mode and store of this moment, for the badge of a class view left open while the instructor switches.
  const server = { authMode: res.locals.authMode, sessionStore: res.locals.sessionStore };
  res.set('Cache-Control', 'no-store').json({ ...(await classProgress(server.authMode, withArchivedShown(req))), server });
}

export const postArchive = studentAction(
  (student) => setArchived(student.studentId, true),
  (label) => `${label} is archived: hidden from the class view until you restore them.`,
);

export const postRestore = studentAction(
  (student) => setArchived(student.studentId, false),
  (label) => `${label} is listed again.`,
);

export const postRemove = studentAction(
  (student) => removeStudent(student.studentId),
  (label) => `${label} is removed, with all their progress. Their browser starts anew the next time it opens a lesson.`,
);
