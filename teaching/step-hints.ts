import { RecentEntries } from '../lib/recent-entries.ts';
import type { StepId } from './lesson-catalog.ts';

/**
 * For a step not yet done: what the app saw this student's browser do last, and what is still
 * missing. Kept in memory only (a hint is about the last few requests, not worth a write each).
 */
export class StepHints {
  readonly #byStudent = new RecentEntries<string, Map<StepId, string>>(10_000);

  saw(studentId: string, step: StepId, hint: string): void {
    const hints = this.#byStudent.get(studentId) ?? new Map<StepId, string>();
    hints.set(step, hint);
    this.#byStudent.set(studentId, hints);
  }

  of(studentId: string | undefined, step: StepId): string | undefined {
    return studentId === undefined ? undefined : this.#byStudent.get(studentId)?.get(step);
  }
}
