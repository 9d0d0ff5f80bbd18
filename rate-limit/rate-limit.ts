import type { AttemptCounter, OpenWindow } from './attempt-counter.ts';

export interface Refusal {
  /** For the Retry-After header: when the full window closes. */
  retryAfterSeconds: number;
  /** When it closes, to tell the visitor. */
  opensAt: Date;
  /** The limit that was full. */
  key: string;
}

/** One count an attempt must fit under: at most `max` attempts per window under `key`. */
export interface Limit {
  key: string;
  max: number;
}

/**
 * Attempts per key within a window of `windowMs` that opens with the key's first attempt. An
 * attempt is counted before the secret is checked, so a burst of parallel guesses cannot slip in
 * before the first one fails; a refused attempt counts nowhere.
 */
export class RateLimit {
  private readonly counter: AttemptCounter;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(
    counter: AttemptCounter,
    windowMs: number,
    now: () => number = Date.now,
  ) {
    this.counter = counter;
    this.windowMs = windowMs;
    this.now = now;
  }

  /** Counts one attempt under every limit, in order, or under none and answers a refusal once one is full. */
  async admit(limits: readonly Limit[]): Promise<Refusal | undefined> {
    const now = this.now();
    for (const [index, { key, max }] of limits.entries()) {
      const closesAt = await this.counter.tryAdd(key, max, this.windowMs, now);
      if (closesAt === undefined) continue;
      await Promise.all(limits.slice(0, index).map((counted) => this.counter.takeBack(counted.key)));
      return { retryAfterSeconds: Math.max(1, Math.ceil((closesAt - now) / 1000)), opensAt: new Date(closesAt), key };
    }
    return undefined;
  }

  /** The attempt under `key` turned out harmless (a login that succeeded): it no longer counts. */
  takeBack(key: string): Promise<void> {
    return this.counter.takeBack(key);
  }

  /** The windows open now that hold at least `atLeast` attempts, those closing last first, at most `limit`. */
  openWindows(atLeast: number, limit: number): Promise<OpenWindow[]> {
    return this.counter.openWindows(this.now(), atLeast, limit);
  }

  /** Everything counted under `key` is forgiven. */
  forget(key: string): Promise<void> {
    return this.counter.forget(key);
  }
}
