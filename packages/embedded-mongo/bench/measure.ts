/** Runs `operation` from `concurrency` loops (like that many clients) for `durationMs`; returns operations per second. */
export async function opsPerSecond(operation: () => Promise<unknown>, durationMs: number, concurrency: number): Promise<number> {
  const started = performance.now();
  const deadline = started + durationMs;
  let completed = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      await operation();
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return completed / ((performance.now() - started) / 1000);
}
