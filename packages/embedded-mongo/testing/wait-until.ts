import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  /** Default 100 ms. */
  intervalMs?: number;
}

/**
 * Polls `condition` until it holds, for waits that are timing by nature (a server coming up, a
 * TTL pass). A check that throws counts as "not yet"; the last such error is in the timeout's message.
 */
export async function waitUntil(description: string, condition: () => Promise<boolean>, { timeoutMs = 30_000, intervalMs = 100 }: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (!(await condition().catch((error: unknown) => ((lastError = error), false)))) {
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : ` (last check failed: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}${cause}`);
    }
    await sleep(intervalMs);
  }
}
