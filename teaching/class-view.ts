import type { Request, Response } from 'express';
import { sessionFingerprint } from '../sessions/fingerprint.ts';
import { lessonCompletion, lessons } from './lesson-catalog.ts';
import { recentStudents } from './models/student-progress.ts';

/** The instructor's grid: the students most recently active by the name they chose (or a short code), every lesson, when each was done. */
async function classProgress() {
  const students = await recentStudents();
  return {
    lessons: lessons.map(({ number, slug, title, steps }) => ({ number, slug, title, stepCount: steps.length })),
    students: students.map((student) => ({
      // A hash, never the id itself: the id is what the student cookie holds.
      name: student.displayName ?? `student ${sessionFingerprint(student.studentId).slice(0, 8)}`,
      lessons: lessons.map((lesson) => {
        const { done, doneAt, doneCount } = lessonCompletion(lesson, student.completedSteps);
        const steps = lesson.steps.map(({ id }) => ({ id, doneAt: student.completedSteps.get(id)?.toISOString() ?? null }));
        return { done, doneAt: doneAt?.toISOString() ?? null, doneCount, steps };
      }),
    })),
  };
}

export const classView = {
  async getPage(_req: Request, res: Response) {
    res.render('instructor/class', { pageTitle: 'Class view', stylesheets: ['/css/inspector.css'], progress: await classProgress() });
  },

  async getProgress(_req: Request, res: Response) {
    // The mode and store of this moment, for the badge of a class view left open while the instructor switches.
    const server = { authMode: res.locals.authMode, sessionStore: res.locals.sessionStore };
    res.set('Cache-Control', 'no-store').json({ ...(await classProgress()), server });
  },
};
