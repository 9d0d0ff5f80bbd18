import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driverPerSuite } from '../testing/database.ts';

// The embedded server answers equality and $in on indexed fields from its index maps; these
// tests pin down that those shortcuts return exactly what a scan would.

describe('queries on indexed fields', () => {
  const suite = driverPerSuite('indexed');

  it('when an indexed field holds arrays in some documents, then equality still finds documents by element', async () => {
    const tags = suite().db.collection('tags');
    await tags.createIndex({ tag: 1 });
    await tags.insertMany([{ n: 1, tag: 'red' }, { n: 2, tag: ['red', 'blue'] }, { n: 3, tag: 'blue' }, { n: 4 }]);

    const numbers = async (filter: object) => (await tags.find(filter).sort({ n: 1 }).toArray()).map((doc) => doc.n);
    assert.deepEqual(await numbers({ tag: 'red' }), [1, 2]);
    assert.deepEqual(await numbers({ tag: { $in: ['blue', 'green'] } }), [2, 3]);
    assert.deepEqual(await numbers({ tag: null }), [4]);
  });

  it('when _id and a unique field are queried with $in, equality and extra conditions, then exactly the matches return', async () => {
    const users = suite().db.collection<{ _id: number; email: string; active: boolean }>('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i, email: `u${i}@example.com`, active: i % 2 === 0 })));

    assert.deepEqual((await users.find({ _id: { $in: [3, 4, 99, 3] } }).sort({ _id: 1 }).toArray()).map((u) => u._id), [3, 4]);
    assert.equal((await users.findOne({ email: 'u7@example.com' }))?._id, 7);
    assert.equal(await users.findOne({ email: 'u7@example.com', active: true }), null);
    assert.deepEqual(
      (await users.find({ $and: [{ email: { $in: ['u8@example.com', 'u9@example.com'] } }, { active: true }] }).toArray()).map((u) => u._id),
      [8],
    );
    const removed = await users.findOneAndDelete({ email: 'u10@example.com' });
    assert.equal(removed?._id, 10);
    assert.equal(await users.countDocuments({ email: 'u10@example.com' }), 0);
  });

  it('when a unique field is changed by an update, then the old value is free and the new one is taken', async () => {
    const accounts = suite().db.collection('accounts');
    await accounts.createIndex({ login: 1 }, { unique: true });
    await accounts.insertMany([{ login: 'ann' }, { login: 'bob' }]);

    await accounts.updateOne({ login: 'ann' }, { $set: { login: 'anna' } });
    await accounts.insertOne({ login: 'ann' });
    await assert.rejects(accounts.updateOne({ login: 'bob' }, { $set: { login: 'anna' } }), { code: 11000 });
    assert.deepEqual((await accounts.find({}, { projection: { _id: 0 } }).sort({ login: 1 }).toArray()).map((a) => a.login), ['ann', 'anna', 'bob']);
  });

  it('when a compound unique index is used, then only the full key must be unique', async () => {
    const stock = suite().db.collection('stock');
    await stock.createIndex({ sku: 1, size: 1 }, { unique: true });
    await stock.insertMany([{ sku: 'tee', size: 'M' }, { sku: 'tee', size: 'L' }]);
    await assert.rejects(stock.insertOne({ sku: 'tee', size: 'M' }), (error: { code: number; keyValue: object }) => {
      assert.equal(error.code, 11000);
      assert.deepEqual(error.keyValue, { sku: 'tee', size: 'M' });
      return true;
    });
    assert.equal(await stock.countDocuments({ sku: 'tee', size: { $in: ['M', 'L', 'S'] } }), 2);
  });

  it('when 5,000 documents with a unique field are inserted one by one and each read back by it, then it takes seconds, not minutes', async () => {
    const many = suite().db.collection('many');
    await many.createIndex({ code: 1 }, { unique: true });
    const started = Date.now();
    for (let i = 0; i < 5_000; i++) await many.insertOne({ code: `c${i}` });
    for (let i = 0; i < 5_000; i += 10) assert.equal((await many.findOne({ code: `c${i}` }))?.code, `c${i}`);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 20, `took ${seconds} s`);
  });
});
