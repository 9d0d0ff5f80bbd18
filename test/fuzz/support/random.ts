/** A small seeded generator (mulberry32): the same seed gives the same cases on every run. */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, below). */
  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Text of `length` characters drawn from `alphabet`. */
  text(length: number, alphabet: string): string {
    return Array.from({ length }, () => alphabet[this.int(alphabet.length)]).join('');
  }
}

/** Every character an HTTP client may put in a header value: visible ASCII, space, and Latin-1 bytes. */
export const headerSafe = Array.from({ length: 0xff - 0x20 + 1 }, (_, index) => String.fromCharCode(index + 0x20))
  .filter((character) => character !== '\x7f')
  .join('');

/** Runs `work` over `items`, `parallel` at a time. */
export async function inBatches<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += parallel) await Promise.all(items.slice(start, start + parallel).map(work));
}
