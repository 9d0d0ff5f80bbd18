import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mongoose from 'mongoose';
import { MemoryAttemptCounter, type AttemptCounter } from '../../rate-limit/attempt-counter.ts';
import { MongoAttemptCounter } from '../../rate-limit/mongo-attempt-counter.ts';
import { RateLimit } from '../../rate-limit/rate-limit.ts';
import { connectDatabase, disconnectDatabase } from '../../models/db.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';

const windowMs = 60_000;

/** A clock the test moves by hand, starting now (so the database's TTL pass, on real time, removes nothing early). */
function manualClock() {
  let time = Date.now();
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

let database: TestDatabase;
before(async () => {
  database = await startTestDatabase();
  await connectDatabase(database.uri('limits'));
});
after(async () => {
  await disconnectDatabase();
  await database.stop();
});

const counters: [string, () => AttemptCounter][] = [
  ['memory', () => new MemoryAttemptCounter(windowMs)],
  ['mongodb', () => new MongoAttemptCounter()],
];

for (const [name, newCounter] of counters) {
  describe(`S24 rate limit counted in ${name}`, () => {
    test('when a key is full, then it is refused until its window, opened by its first attempt, closes', async () => {
      const clock = manualClock();
      const limit = new RateLimit(newCounter(), windowMs, clock.now);
      const key = `window-${name}`;
      assert.equal(await limit.admit([{ key, max: 2 }]), undefined);
      clock.advance(20_000);
      assert.equal(await limit.admit([{ key, max: 2 }]), undefined);
      const opensAt = new Date(clock.now() + 40_000);
      assert.deepEqual(await limit.admit([{ key, max: 2 }]), { retryAfterSeconds: 40, opensAt, key });
      clock.advance(39_000);
      assert.deepEqual(await limit.admit([{ key, max: 2 }]), { retryAfterSeconds: 1, opensAt, key });
      clock.advance(1_000);
      assert.equal(await limit.admit([{ key, max: 2 }]), undefined, 'a new window');
      assert.equal(await limit.admit([{ key, max: 2 }]), undefined);
      assert.ok(await limit.admit([{ key, max: 2 }]));
    });

    test('when one limit of an attempt is full, then the attempt counts under none of them', async () => {
      const limit = new RateLimit(newCounter(), windowMs);
      const [narrow, wide] = [`narrow-${name}`, `wide-${name}`];
      await limit.admit([{ key: narrow, max: 1 }]);
      for (let attempt = 1; attempt <= 5; attempt += 1) assert.ok(await limit.admit([{ key: wide, max: 3 }, { key: narrow, max: 1 }]));
      const admitted = [];
      for (let attempt = 1; attempt <= 4; attempt += 1) admitted.push((await limit.admit([{ key: wide, max: 3 }])) === undefined);
      assert.deepEqual(admitted, [true, true, true, false]);
    });

    test('when 20 attempts race for a key with room for 5, then exactly 5 are admitted, every time', async () => {
      const limit = new RateLimit(newCounter(), windowMs);
      for (let round = 1; round <= 20; round += 1) {
        const answers = await Promise.all(Array.from({ length: 20 }, () => limit.admit([{ key: `race-${name}-${round}`, max: 5 }])));
        assert.equal(answers.filter((answer) => answer === undefined).length, 5, `round ${round}`);
      }
    });

    test('when logins that succeed forgive their key while others are counted under it, then none of them is refused', async () => {
      const limit = new RateLimit(newCounter(), windowMs);
      const key = `forgiven-${name}`;
      // Ten browsers logging in to one account from one address, again and again, as `succeeded` does.
      const login = async () => {
        const refusal = await limit.admit([{ key, max: 100 }]);
        if (refusal === undefined) await limit.forget(key);
        return refusal;
      };
      const refusals = [];
      for (let round = 1; round <= 30; round += 1) {
        for (const refusal of await Promise.all(Array.from({ length: 10 }, login))) if (refusal) refusals.push(`round ${round}: ${JSON.stringify(refusal)}`);
      }
      assert.deepEqual(refusals, []);
    });
  });
}

test('S24 the shared counters expire through a TTL index on closesAt', async () => {
  await new MongoAttemptCounter().tryAdd('ttl', 1, windowMs, Date.now());
  const indexes = await mongoose.connection.collection('attemptCounts').indexes();
  assert.ok(indexes.some(({ key, expireAfterSeconds }) => key.closesAt === 1 && expireAfterSeconds === 0), JSON.stringify(indexes));
});
