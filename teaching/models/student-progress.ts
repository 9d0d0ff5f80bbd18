import type { StepId } from '../lesson-catalog.ts';
import { LessonProgress, type Evidence, type StoredLessonProgress } from './lesson-progress.ts';
import { logger } from '../../lib/logger.ts';

/** One student's progress as the detector and the lesson pages use it. */
export interface StudentProgress {
  readonly studentId: string;
  readonly displayName: string | undefined;
  readonly completedSteps: ReadonlyMap<string, Date>;
  readonly evidence: Evidence;
}

/*
 * A login is recorded when its response has been sent, and the browser follows the redirect at
 * once. So the writes for one student run in order, and a read waits for those still running:
 * the request after a login always sees what the login recorded.
 */
const pendingWrites = new Map<string, Promise<void>>();

function enqueue(studentId: string, write: () => Promise<unknown>): void {
  const done = (pendingWrites.get(studentId) ?? Promise.resolve())
    .then(write)
    .then(
      () => undefined,
      // Progress is a side show: a lost write must not break the shop request that caused it.
      (error: unknown) => logger.error({ err: error }, 'Lesson progress not saved'),
    );
  pendingWrites.set(studentId, done);
  void done.then(() => {
    if (pendingWrites.get(studentId) === done) pendingWrites.delete(studentId);
  });
}

/** As `lean()` reads it: a Map field arrives as a plain object. */
type StoredProgress = Omit<StoredLessonProgress, 'completedSteps'> & { completedSteps?: Record<string, Date> };

function fromStored(studentId: string, stored: StoredProgress | null): StudentProgress {
  return {
    studentId,
    displayName: stored?.displayName ?? undefined,
    completedSteps: new Map(Object.entries(stored?.completedSteps ?? {})),
    evidence: { labCookies: [], ...stored?.evidence },
  };
}

/** A student the app has only just met. */
export function newProgress(studentId: string): StudentProgress {
  return fromStored(studentId, null);
}

/** A student's progress; a student the database has not seen yet has done nothing. */
export async function loadProgress(studentId: string): Promise<StudentProgress> {
  await pendingWrites.get(studentId);
  return fromStored(studentId, await LessonProgress.findById(studentId).lean<StoredProgress>());
}

/** The student whose last login issued this session id (by its hash), if any. */
export async function findProgressBySessionIdHash(sessionIdHash: string): Promise<StudentProgress | undefined> {
  // Whose id it is comes out of the lookup: a logout that is still being recorded may be the answer.
  await Promise.all(pendingWrites.values());
  const stored = await LessonProgress.findOne({ 'evidence.sessionIdHash': sessionIdHash }).lean<StoredProgress>();
  return stored ? fromStored(stored._id, stored) : undefined;
}

/** Records the first time a step is done; later times change nothing. */
export function markStepDone(progress: StudentProgress, step: StepId): void {
  if (progress.completedSteps.has(step)) return;
  const at = new Date();
  (progress.completedSteps as Map<string, Date>).set(step, at);
  enqueue(progress.studentId, () =>
    LessonProgress.updateOne({ _id: progress.studentId }, { $set: { [`completedSteps.${step}`]: at } }, { upsert: true }),
  );
}

/** Students the class view lists at most: a class, not every browser that ever opened a lesson. */
export const classSize = 200;

/** The students most recently active, the latest first, for the instructor's class view. */
export async function recentStudents(): Promise<StudentProgress[]> {
  await Promise.all(pendingWrites.values());
  const stored = await LessonProgress.find({}).sort({ updatedAt: -1 }).limit(classSize).lean<StoredProgress[]>();
  return stored.map((student) => fromStored(student._id, student));
}

/** The name shown in the class view; undefined removes it. */
export function setDisplayName(studentId: string, displayName: string | undefined): void {
  const update = displayName === undefined ? { $unset: { displayName: '' } } : { $set: { displayName } };
  enqueue(studentId, () => LessonProgress.updateOne({ _id: studentId }, update, { upsert: true }));
}

/** Updates the evidence; a field set to undefined is removed. */
export function rememberEvidence(progress: StudentProgress, changes: Partial<Evidence>): void {
  Object.assign(progress.evidence, changes);
  const update: { $set?: Record<string, unknown>; $unset?: Record<string, ''> } = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) update.$unset = { ...update.$unset, [`evidence.${key}`]: '' };
    else update.$set = { ...update.$set, [`evidence.${key}`]: value };
  }
  enqueue(progress.studentId, () => LessonProgress.updateOne({ _id: progress.studentId }, update, { upsert: true }));
}
