import type { StepId } from '../lesson-catalog.ts';
import { LessonProgress, type Evidence, type StoredLessonProgress } from './lesson-progress.ts';
import { logFailure } from '../../models/db.ts';

/** One student's progress as the detector and the lesson pages use it. */
export interface StudentProgress {
  readonly studentId: string;
  readonly displayName: string | undefined;
  /** The slug of the last lesson page opened. */
  readonly currentLesson: string | undefined;
  /** When the student last did something the app recorded. */
  readonly activeAt: Date | undefined;
  /** When the instructor archived them (hidden from the class view). */
  readonly archivedAt: Date | undefined;
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
      (error: unknown) => logFailure(error, 'Lesson progress not saved'),
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
    currentLesson: stored?.currentLesson ?? undefined,
    activeAt: stored?.updatedAt ?? undefined,
    archivedAt: stored?.archivedAt ?? undefined,
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

/**
 * The class names of the students whose browsers hold these sessions, by session fingerprint. The
 * link is the one the lessons record at each login they see (evidence.sessionIdHash): the plug-in
 * sees the student cookie and the new session id on the same request, so the shop never learns of
 * students. A student who gave no name is left out.
 */
export async function classNamesBySession(fingerprints: readonly string[]): Promise<Map<string, string>> {
  await Promise.all(pendingWrites.values());
  const named = await LessonProgress.find(
    { 'evidence.sessionIdHash': { $in: fingerprints }, displayName: { $exists: true } },
    { displayName: 1, 'evidence.sessionIdHash': 1 },
  ).lean<StoredProgress[]>();
  return new Map(named.flatMap(({ evidence, displayName }) => (evidence?.sessionIdHash && displayName ? [[evidence.sessionIdHash, displayName]] : [])));
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

/** The students most recently active, the latest first, for the instructor's class view; archived ones are left out. */
export async function recentStudents(): Promise<StudentProgress[]> {
  return listStudents({ archivedAt: { $exists: false } }, { updatedAt: -1 });
}

/** The students the instructor archived, the latest archived first. */
export async function archivedStudents(): Promise<StudentProgress[]> {
  return listStudents({ archivedAt: { $exists: true } }, { archivedAt: -1 });
}

async function listStudents(filter: Record<string, unknown>, sort: Record<string, -1>): Promise<StudentProgress[]> {
  await Promise.all(pendingWrites.values());
  const stored = await LessonProgress.find(filter).sort(sort).limit(classSize).lean<StoredProgress[]>();
  return stored.map((student) => fromStored(student._id, student));
}

/** Hides a student from the class view, or lists them again. Not the student's activity: their place in the list stays. */
export function setArchived(studentId: string, archived: boolean): void {
  const update = archived ? { $set: { archivedAt: new Date() } } : { $unset: { archivedAt: '' } };
  enqueue(studentId, () => LessonProgress.updateOne({ _id: studentId }, update, { timestamps: false }));
}

/** Forgets a student's progress; their browser, still holding its cookie, starts anew. */
export function removeStudent(studentId: string): void {
  enqueue(studentId, () => LessonProgress.deleteOne({ _id: studentId }));
}

/** Remembers the lesson page a student opened last; opening the same one again writes nothing. */
export function noteCurrentLesson(progress: StudentProgress, slug: string): void {
  if (progress.currentLesson === slug) return;
  (progress as { currentLesson: string | undefined }).currentLesson = slug;
  enqueue(progress.studentId, () => LessonProgress.updateOne({ _id: progress.studentId }, { $set: { currentLesson: slug } }, { upsert: true }));
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
