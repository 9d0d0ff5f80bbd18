import type { Request, Response } from 'express';
import type { LiveSettings } from '../sessions/live-auth-mode.ts';
import type { StepId } from './lesson-catalog.ts';
import type { Evidence } from './models/lesson-progress.ts';
import {
  findProgressBySessionIdHash,
  loadProgress,
  markStepDone,
  rememberEvidence,
  type StudentProgress,
} from './models/student-progress.ts';
import { sessionFingerprint } from '../sessions/fingerprint.ts';
import type { StepHints } from './step-hints.ts';
import type { StudentCookie } from './student-cookie.ts';

/** One request as the lessons see it: whose it is, and what they have done so far. */
export interface Visit {
  req: Request;
  res: Response;
  /** The mode and store this request began with (the instructor may switch them meanwhile). */
  settings: LiveSettings;
  /** The session cookie's name in session mode. */
  sessionCookieName: string | undefined;
  /** Undefined when this browser has not opened the lessons: then nothing is recorded. */
  progress: StudentProgress | undefined;
  evidence: Evidence | undefined;
  remember(changes: Partial<Evidence>): void;
  done(step: StepId): void;
  /** For a step not done yet: what the app saw, and what is missing. */
  hint(step: StepId, text: string): void;
}

export function createVisit(
  req: Request,
  res: Response,
  settings: LiveSettings,
  sessionCookieName: string | undefined,
  progress: StudentProgress | undefined,
  hints: StepHints,
): Visit {
  return {
    req,
    res,
    settings,
    sessionCookieName,
    progress,
    evidence: progress?.evidence,
    remember: (changes) => {
      if (progress) rememberEvidence(progress, changes);
    },
    done: (step) => {
      if (progress) markStepDone(progress, step);
    },
    hint: (step, text) => {
      if (progress && !progress.completedSteps.has(step)) hints.saw(progress.studentId, step, text);
    },
  };
}

/**
 * The student behind this request. A browser that lost its student cookie (cleared by hand, or
 * another browser) gets it back from a replayed session id (one the store no longer knows), which
 * still names its student.
 */
export async function studentOf(
  req: Request,
  res: Response,
  students: StudentCookie,
  unknownSessionId: string | undefined,
): Promise<StudentProgress | undefined> {
  const studentId = students.read(req);
  const progress = studentId === undefined ? undefined : await loadProgress(studentId);
  if (unknownSessionId === undefined) return progress;
  const hash = sessionFingerprint(unknownSessionId);
  if (progress?.evidence.sessionIdHash === hash) return progress;
  const owner = await findProgressBySessionIdHash(hash);
  if (!owner) return progress;
  students.write(res, owner.studentId);
  return owner;
}
