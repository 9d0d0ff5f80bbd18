import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` until it holds; fails with `description` once `timeoutMs` has passed. */
export async function waitUntil(
  description: string,
  condition: () => Promise<boolean>,
  { timeoutMs, intervalMs = 100 }: { timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}`);
    await sleep(intervalMs);
  }
}
