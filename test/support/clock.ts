import { afterEach, beforeEach, mock } from 'node:test';

export interface TestClock {
  /** Moves the time every part of the app reads by `ms`, at once. */
  advance(ms: number): void;
}

/**
 * Date, frozen at the start of each test of the enclosing file or describe, and moved only by the
 * test. express-session, both session stores, the lifetime limits and the login rate limit all read
 * Date, so moving it ages all of them together, with no sleeping. Timers (setTimeout…) stay real.
 */
export function testClock(): TestClock {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: Date.now() }));
  afterEach(() => mock.timers.reset());
  return { advance: (ms) => mock.timers.tick(ms) };
}
