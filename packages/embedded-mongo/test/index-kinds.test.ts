import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driverPerSuite } from '../testing/database.ts';
import { waitUntil } from '../testing/wait-until.ts';

// Index kinds, explain and server parameters an app may use, through the real driver.

const suite = driverPerSuite('index_kinds');

/** The documents a query returns by `_id`, or its error message. */
async function outcome(run: () => Promise<{ _id: unknown }[]>): Promise<unknown[] | string> {
  return run().then(
    (docs) => docs.map((doc) => doc._id),
    (error: Error) => error.message,
  );
}

describe('index kinds the embedded server cannot search', () => {
  it('when an app declares text, 2d, 2dsphere and hashed indexes, then they are created and listed', async () => {
    const places = suite().db.collection('places');
    await places.insertOne({ _id: 1 as never, title: 'red pen', at: { type: 'Point', coordinates: [2.35, 48.85] }, grid: [1, 2], owner: 'a' });

    await places.createIndexes([{ key: { title: 'text' } }, { key: { at: '2dsphere' } }, { key: { grid: '2d' } }, { key: { owner: 'hashed' } }]);

    const names = (await places.listIndexes().toArray()).map((index) => index.name as string).sort();
    assert.deepEqual(names, ['_id_', 'at_2dsphere', 'grid_2d', 'owner_hashed', 'title_text']);
    assert.deepEqual(await outcome(() => places.find({ owner: 'a' }).toArray()), [1], 'equality on a hashed field still answers');
  });

  it('when a query needs a text or geo index, then it answers, or fails with an error that says why', async () => {
    const places = suite().db.collection('places');

    const text = await outcome(() => places.find({ $text: { $search: 'pen' } }).toArray());
    const near = await outcome(() => places.find({ at: { $near: { $geometry: { type: 'Point', coordinates: [2.35, 48.85] } } } }).toArray());

    // A real MongoDB answers both; the embedded server must say what it cannot do, not fail obscurely.
    assert.ok(Array.isArray(text) ? text.length === 1 : /text index/.test(text), String(text));
    assert.ok(Array.isArray(near) ? near.length === 1 : /\$near .*2dsphere/.test(near), String(near));
  });
});

describe('explain and server parameters', () => {
  it('when a find is explained, then the plan says whether an index or a collection scan serves it', async () => {
    const sessions = suite().db.collection('sessions_explained');
    await sessions.insertMany([{ _id: 's1' as never, user: 'u' }, { _id: 's2' as never, user: 'v' }]);

    const byId = JSON.stringify((await sessions.find({ _id: 's1' as never }).explain()).queryPlanner.winningPlan);
    const byUser = JSON.stringify((await sessions.find({ user: 'u' }).explain()).queryPlanner.winningPlan);

    assert.match(byId, /IXSCAN|IDHACK/);
    assert.match(byUser, /COLLSCAN/);
  });

  it('when ttlMonitorSleepSecs is set to 1, then the TTL pass runs every second and reports the old value', { timeout: 30_000 }, async () => {
    const admin = suite().db.admin();
    const reply = await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
    try {
      const expiring = suite().db.collection('expiring');
      await expiring.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
      await expiring.insertOne({ at: new Date(Date.now() - 1000) });

      assert.equal(typeof reply.was, 'number');
      await waitUntil('the expired document is gone', async () => (await expiring.countDocuments()) === 0, { timeoutMs: 10_000 });
    } finally {
      await admin.command({ setParameter: 1, ttlMonitorSleepSecs: reply.was as number });
    }
  });
});
