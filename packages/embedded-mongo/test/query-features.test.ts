import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DBRef, MongoBulkWriteError, ObjectId, type MongoServerError, type UpdateFilter } from 'mongodb';

// Numeric ids keep the cases short.
type Doc = { _id: number; [field: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
import { driverPerSuite } from '../testing/database.ts';

// Query, projection and update features MongoDB has and apps rely on, through the real driver.

const suite = driverPerSuite('features');

describe('query, projection and update features', () => {
  it('when $elemMatch holds only operators on an array of numbers, then one element must satisfy all of them, also in a projection', async () => {
    const students = suite().db.collection<Doc>('students');
    await students.insertMany([
      { _id: 1, scores: [82, 90] },
      { _id: 2, scores: [79, 86] },
    ]);

    const ids = (await students.find({ scores: { $elemMatch: { $gte: 80, $lt: 85 } } }).toArray()).map((doc) => doc._id);
    const projected = await students.find({}, { projection: { scores: { $elemMatch: { $gte: 85 } } }, sort: { _id: 1 } }).toArray();

    assert.deepEqual(ids, [1]);
    assert.deepEqual(projected, [
      { _id: 1, scores: [90] },
      { _id: 2, scores: [86] },
    ]);
  });

  it('when $all lists strings or numbers, then documents whose array holds every one match', async () => {
    const items = suite().db.collection<Doc>('tagged');
    await items.insertMany([
      { _id: 1, tags: ['red', 'blue', 'green'], sizes: [1, 2, 3] },
      { _id: 2, tags: ['red'], sizes: [2] },
    ]);

    const byTags = (await items.find({ tags: { $all: ['blue', 'red'] } }).toArray()).map((doc) => doc._id);
    const bySizes = (await items.find({ sizes: { $all: [3, 1] } }).toArray()).map((doc) => doc._id);

    assert.deepEqual([byTags, bySizes], [[1], [1]]);
  });

  it('when $pull has a condition or an $or, then exactly the matching elements are removed', async () => {
    const carts = suite().db.collection<Doc>('carts');
    await carts.insertOne({ _id: 1, n: [1, 5, 8, 12], lines: [{ sku: 'a', qty: 0 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 9 }] });

    // The driver's types leave $or out of $pull; MongoDB accepts it.
    await carts.updateOne({ _id: 1 }, { $pull: { n: { $gte: 8 }, lines: { $or: [{ qty: 0 }, { sku: 'c' }] } } } as unknown as UpdateFilter<Doc>);

    assert.deepEqual(await carts.findOne({ _id: 1 }), { _id: 1, n: [1, 5], lines: [{ sku: 'b', qty: 2 }] });
  });

  it('when a projection combines $slice with exclusions, then the array is cut and the excluded fields are gone', async () => {
    const posts = suite().db.collection<Doc>('posts');
    await posts.insertOne({ _id: 1, title: 't', secret: 's', comments: [1, 2, 3, 4] });

    const found = await posts.findOne({ _id: 1 }, { projection: { secret: 0, comments: { $slice: -2 } } });

    assert.deepEqual(found, { _id: 1, title: 't', comments: [3, 4] });
  });

  it('when $elemMatch tests a DBRef field ($id), then the document that references it matches', async () => {
    const authorId = new ObjectId();
    const books = suite().db.collection<Doc>('books');
    await books.insertMany([
      { _id: 1, authors: [new DBRef('people', authorId), new DBRef('people', new ObjectId())] },
      { _id: 2, authors: [new DBRef('people', new ObjectId())] },
    ]);

    const ids = (await books.find({ authors: { $elemMatch: { $id: authorId } } }).toArray()).map((doc) => doc._id);
    const byPath = (await books.find({ 'authors.$id': authorId }).toArray()).map((doc) => doc._id);

    assert.deepEqual([ids, byPath], [[1], [1]]);
  });

  it('when a document or an update has its own __proto__ key, then it is stored as data and pollutes nothing', async () => {
    const things = suite().db.collection<Doc>('things');
    const doc = JSON.parse('{"_id": 1, "__proto__": {"polluted": true}, "nested": {"__proto__": {"x": 1}}}') as Doc;
    await things.insertOne(doc);
    await things.updateOne({ _id: 1 }, { $set: JSON.parse('{"nested.__proto__.y": 2}') as Record<string, unknown> });

    const found = await things.findOne({ _id: 1 });

    assert.deepEqual(Object.getOwnPropertyNames(found).sort(), ['__proto__', '_id', 'nested']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(found, '__proto__')?.value, { polluted: true });
    assert.deepEqual(Object.getOwnPropertyDescriptor(found!.nested, '__proto__')?.value, { x: 1, y: 2 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('when an update sets an array element through arrayFilters and a sibling field of the array, then both apply', async () => {
    const families = suite().db.collection<Doc>('families');
    await families.insertOne({ _id: 1, children: [{ name: 'a', x: 0 }, { name: 'b', x: 0 }], childrenCount: 2 });

    await families.updateOne({ _id: 1 }, { $set: { 'children.$[c].x': 1, childrenCount: 3 }, $inc: { version: 1 } }, { arrayFilters: [{ 'c.name': 'b' }] });

    assert.deepEqual(await families.findOne({ _id: 1 }), { _id: 1, children: [{ name: 'a', x: 0 }, { name: 'b', x: 1 }], childrenCount: 3, version: 1 });
  });

  it('when a document holds $-prefixed field names below the top level, then it is stored and read back as MongoDB 5.0+ allows', async () => {
    const prices = suite().db.collection<Doc>('prices');
    await prices.insertOne({ _id: 1, amounts: { $usd: 5, 'eu.r': 4 } });

    assert.deepEqual(await prices.findOne({ _id: 1 }), { _id: 1, amounts: { $usd: 5, 'eu.r': 4 } });
  });
});

describe('limits and errors as MongoDB gives them', () => {
  it('when a document is larger than 16 MB, then it is refused with code 10334 BSONObjectTooLarge', async () => {
    const big = { _id: 1, payload: 'x'.repeat(16 * 1024 * 1024) };
    const refusal = await suite().db.command({ insert: 'big', documents: [big] }).then(
      (reply) => reply.writeErrors?.[0] as { code: number } | undefined,
      (error: MongoServerError) => ({ code: error.code as number }),
    );

    assert.equal(refusal?.code, 10334);
    assert.equal(await suite().db.collection<Doc>('big').countDocuments(), 0);
  });

  it('when an unordered bulk write hits several duplicates, then every write error is reported with its index', async () => {
    const users = suite().db.collection<Doc>('bulk_users');
    await users.insertOne({ _id: 2 });

    const error = await users.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }, { _id: 2 }, { _id: 1 }], { ordered: false }).catch((caught: unknown) => caught);

    assert.ok(error instanceof MongoBulkWriteError);
    assert.deepEqual(error.writeErrors instanceof Array ? error.writeErrors.map((e) => [e.index, e.code]) : [[error.writeErrors.index, error.writeErrors.code]], [
      [1, 11000],
      [3, 11000],
      [4, 11000],
    ]);
    assert.equal(await users.countDocuments(), 3);
  });
});
