import type { Config } from '../config.ts';
import { addressKey } from './client-address.ts';

type Limits = Config['loginRateLimit'];
type KeyKind = 'account' | 'address';

export interface Refusal {
  /** For the Retry-After header: when the oldest counted attempt leaves the window. */
  retryAfterSeconds: number;
}

/**
 * Login attempts per account and per client address in a sliding window, so nobody can guess
 * passwords at speed. Kept in this process's memory: a restart forgets the counts, and several
 * processes would each count their own (a shared store such as the database would fix both).
 */
export class LoginAttempts {
  /** The times of counted attempts per key, oldest first; never more than the key's limit. */
  readonly #attempts = new Map<string, number[]>();
  readonly #maxPerKind: Readonly<Record<KeyKind, number>>;
  #lastSweep = 0;

  constructor(
    private readonly limits: Limits,
    private readonly now: () => number = Date.now,
  ) {
    this.#maxPerKind = { account: limits.maxFailuresPerAccount, address: limits.maxFailuresPerAddress };
  }

  /**
   * Counts an attempt before the password is checked, so a burst of parallel guesses cannot all
   * slip in before the first one fails. Answers a refusal, without counting, once a key is full.
   */
  admit(email: string, address: string): Refusal | undefined {
    const now = this.now();
    this.#sweep(now);
    const keys = this.#keys(email, address);
    const waits = keys.map(({ kind, key }) => {
      const times = this.#recent(key, now);
      return times.length >= this.#maxPerKind[kind] ? (times[0] ?? now) + this.limits.windowMs - now : 0;
    });
    const waitMs = Math.max(0, ...waits);
    if (waitMs > 0) return { retryAfterSeconds: Math.ceil(waitMs / 1000) };
    for (const { key } of keys) this.#attempts.set(key, [...this.#recent(key, now), now]);
    return undefined;
  }

  /** A login succeeded: the account starts afresh, and the address gets this attempt back. */
  succeeded(email: string, address: string): void {
    this.#attempts.delete(accountKey(email));
    this.#attempts.get(addressCounter(address))?.pop();
  }

  #keys(email: string, address: string): { kind: KeyKind; key: string }[] {
    // An empty email names no account; the address still counts the attempt.
    const account = email === '' ? [] : [{ kind: 'account' as const, key: accountKey(email) }];
    return [...account, { kind: 'address', key: addressCounter(address) }];
  }

  #recent(key: string, now: number): number[] {
    return (this.#attempts.get(key) ?? []).filter((time) => time > now - this.limits.windowMs);
  }

  /** Forgets keys whose attempts have all left the window; at most once per window, so memory stays bounded. */
  #sweep(now: number): void {
    if (now - this.#lastSweep < this.limits.windowMs) return;
    this.#lastSweep = now;
    for (const [key, times] of this.#attempts) {
      if ((times.at(-1) ?? 0) <= now - this.limits.windowMs) this.#attempts.delete(key);
    }
  }
}

const accountKey = (email: string) => `account:${email}`;
const addressCounter = (address: string) => `address:${addressKey(address)}`;
