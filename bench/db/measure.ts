export interface MeasureOptions {
  durationMs: number;
  warmUpMs: number;
  /** Operations in flight at once, like that many clients. */
  concurrency: number;
}

/** Runs `operation` from `concurrency` loops for `durationMs` (after a warm-up) and returns operations per second. */
export async function opsPerSecond(operation: () => Promise<unknown>, options: MeasureOptions): Promise<number> {
  await runFor(operation, options.warmUpMs, options.concurrency);
  const started = performance.now();
  const completed = await runFor(operation, options.durationMs, options.concurrency);
  return completed / ((performance.now() - started) / 1000);
}

async function runFor(operation: () => Promise<unknown>, durationMs: number, concurrency: number): Promise<number> {
  const deadline = performance.now() + durationMs;
  let completed = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      await operation();
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return completed;
}
