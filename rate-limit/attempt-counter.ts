/**
 * Counts attempts per key for the rate limits. A key's window opens with its first attempt and
 * lasts `windowMs`; the next attempt after that opens a new one. One process keeps the counts
 * in memory; processes that share the database count there (see mongo-attempt-counter.ts), so a
 * cluster or a second instance cannot multiply the attempts an attacker gets.
 */
export interface AttemptCounter {
  /**
   * Adds one to `key` unless its open window already holds `max`: answers undefined when it did,
   * else the time (ms since the epoch) that window closes.
   */
  tryAdd(key: string, max: number, windowMs: number, now: number): Promise<number | undefined>;
  /** Takes one back from `key` (an attempt that turned out not to count). */
  takeBack(key: string): Promise<void>;
  forget(key: string): Promise<void>;
  /** The windows still open at `now` that hold at least `atLeast` attempts, those closing last first, at most `limit`. */
  openWindows(now: number, atLeast: number, limit: number): Promise<OpenWindow[]>;
}

export interface OpenWindow {
  key: string;
  count: number;
  /** ms since the epoch */
  closesAt: number;
}

/** This process's counts. Closed windows are swept at most once per `sweepIntervalMs`, so memory stays bounded. */
export class MemoryAttemptCounter implements AttemptCounter {
  readonly #windows = new Map<string, { count: number; closesAt: number }>();
  #lastSweep = 0;

  private readonly sweepIntervalMs: number;

  constructor(sweepIntervalMs: number) {
    this.sweepIntervalMs = sweepIntervalMs;
  }

  async tryAdd(key: string, max: number, windowMs: number, now: number): Promise<number | undefined> {
    this.#sweep(now);
    const open = this.#windows.get(key);
    if (open === undefined || open.closesAt <= now) {
      this.#windows.set(key, { count: 1, closesAt: now + windowMs });
      return undefined;
    }
    if (open.count >= max) return open.closesAt;
    open.count += 1;
    return undefined;
  }

  async takeBack(key: string): Promise<void> {
    const open = this.#windows.get(key);
    if (open) open.count = Math.max(0, open.count - 1);
  }

  async forget(key: string): Promise<void> {
    this.#windows.delete(key);
  }

  async openWindows(now: number, atLeast: number, limit: number): Promise<OpenWindow[]> {
    const open = [...this.#windows].filter(([, { count, closesAt }]) => closesAt > now && count >= atLeast);
    return open.map(([key, { count, closesAt }]) => ({ key, count, closesAt })).sort((a, b) => b.closesAt - a.closesAt).slice(0, limit);
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.sweepIntervalMs) return;
    this.#lastSweep = now;
    for (const [key, { closesAt }] of this.#windows) if (closesAt <= now) this.#windows.delete(key);
  }
}
