import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DriverFixture } from './driver-fixture.ts';

interface Cart {
  owner: string;
  count: number;
  tags: string[];
  sizes: number[];
  coupon?: string;
  address?: { city: string };
  badges?: string[];
}

/** Single-document and multi-document reads and writes. */
export function documentCases(fixture: DriverFixture): void {
  it('when documents are inserted one and many at a time, then each gets an _id and reads back intact', async () => {
    const products = fixture.db.collection('inserted_products');
    const one = await products.insertOne({ title: 'Pen', price: 2, tags: ['office'] });
    const many = await products.insertMany([
      { title: 'Book', price: 12.5 },
      { title: 'Mug', price: 7, dimensions: { h: 10, w: 8 } },
    ]);

    assert.equal(many.insertedCount, 2);
    const stored = await products.find({}, { sort: { title: 1 } }).toArray();
    assert.deepEqual(
      stored.map((doc) => doc._id.toHexString()).sort(),
      [one.insertedId, ...Object.values(many.insertedIds)].map((id) => id.toHexString()).sort(),
    );
    assert.deepEqual(
      stored.map(({ _id, ...rest }) => rest),
      [
        { title: 'Book', price: 12.5 },
        { title: 'Mug', price: 7, dimensions: { h: 10, w: 8 } },
        { title: 'Pen', price: 2, tags: ['office'] },
      ],
    );
  });

  it('when find has a filter, sort, skip, limit and projection, then exactly the requested page comes back', async () => {
    const items = fixture.db.collection('paged_items');
    await items.insertMany(Array.from({ length: 10 }, (_, i) => ({ name: `item-${i}`, price: i * 10, stock: i % 3 })));

    const page = await items
      .find({ price: { $gte: 20 }, stock: { $ne: 0 } })
      .sort({ price: -1 })
      .skip(1)
      .limit(3)
      .project({ _id: 0, name: 1 })
      .toArray();

    // price >= 20 and stock != 0, descending: 80, 70, 50, 40, 20 → skip one, take three.
    assert.deepEqual(page, [{ name: 'item-7' }, { name: 'item-5' }, { name: 'item-4' }]);
  });

  it('when updates use $set, $inc, $push, $pull, $addToSet and $unset, then the document shows every change', async () => {
    const carts = fixture.db.collection<Cart>('operator_carts');
    const { insertedId } = await carts.insertOne({ owner: 'ann', count: 1, tags: ['new'], sizes: [1, 2, 3, 2], coupon: 'X1' });

    const result = await carts.updateOne(
      { _id: insertedId },
      {
        $set: { owner: 'ann b.', 'address.city': 'Oslo' },
        $inc: { count: 4 },
        $push: { tags: 'gift' },
        $pull: { sizes: 2 },
        $addToSet: { badges: 'early' },
        $unset: { coupon: '' },
      },
    );
    await carts.updateOne({ _id: insertedId }, { $addToSet: { badges: 'early', tags: { $each: ['new', 'sale'] } } });

    assert.equal(result.matchedCount, 1);
    assert.equal(result.modifiedCount, 1);
    assert.deepEqual(await carts.findOne({ _id: insertedId }, { projection: { _id: 0 } }), {
      owner: 'ann b.',
      count: 5,
      tags: ['new', 'gift', 'sale'],
      sizes: [1, 3],
      address: { city: 'Oslo' },
      badges: ['early'],
    });
  });

  it('when updateMany matches several documents, then all of them change and the counts say so', async () => {
    const stock = fixture.db.collection('stock_levels');
    await stock.insertMany([{ shelf: 'a', qty: 1 }, { shelf: 'a', qty: 5 }, { shelf: 'b', qty: 9 }]);

    const result = await stock.updateMany({ shelf: 'a' }, { $inc: { qty: 10 } });

    assert.equal(result.matchedCount, 2);
    assert.equal(result.modifiedCount, 2);
    const quantities = await stock.find({}, { sort: { qty: 1 }, projection: { _id: 0, qty: 1 } }).toArray();
    assert.deepEqual(quantities, [{ qty: 9 }, { qty: 11 }, { qty: 15 }]);
  });

  it('when an upsert finds nothing, then it inserts the filter fields with $set and $setOnInsert; a second upsert only applies $set', async () => {
    const products = fixture.db.collection('upserted_products');

    const first = await products.updateOne(
      { sku: 'LAMP-1' },
      { $set: { price: 30 }, $setOnInsert: { createdBy: 'seed' } },
      { upsert: true },
    );
    const second = await products.updateOne(
      { sku: 'LAMP-1' },
      { $set: { price: 35 }, $setOnInsert: { createdBy: 'someone else' } },
      { upsert: true },
    );

    assert.equal(first.upsertedCount, 1);
    assert.ok(first.upsertedId);
    assert.equal(second.upsertedCount, 0);
    assert.equal(second.matchedCount, 1);
    assert.deepEqual(await products.find({}).toArray(), [
      { _id: first.upsertedId, sku: 'LAMP-1', price: 35, createdBy: 'seed' },
    ]);
  });

  it('when a document is replaced, then only the new fields remain under the same _id', async () => {
    const profiles = fixture.db.collection('replaced_profiles');
    const { insertedId } = await profiles.insertOne({ name: 'Ann', age: 30, city: 'Oslo' });

    const result = await profiles.replaceOne({ name: 'Ann' }, { name: 'Ann', email: 'ann@example.com' });

    assert.equal(result.modifiedCount, 1);
    assert.deepEqual(await profiles.find({}).toArray(), [{ _id: insertedId, name: 'Ann', email: 'ann@example.com' }]);
  });

  it('when deleteOne and deleteMany run, then they remove one and all matching documents', async () => {
    const orders = fixture.db.collection('deleted_orders');
    await orders.insertMany([{ status: 'open' }, { status: 'open' }, { status: 'open' }, { status: 'paid' }]);

    const one = await orders.deleteOne({ status: 'open' });
    const many = await orders.deleteMany({ status: 'open' });

    assert.equal(one.deletedCount, 1);
    assert.equal(many.deletedCount, 2);
    assert.deepEqual(await orders.find({}, { projection: { _id: 0 } }).toArray(), [{ status: 'paid' }]);
  });

  it('when findOneAndUpdate asks for the document after the update, then it returns the new state, and upserts a missing one', async () => {
    const counters = fixture.db.collection<{ _id: string; seq: number }>('counters');
    await counters.insertOne({ _id: 'orders', seq: 41 });

    const before = await counters.findOneAndUpdate({ _id: 'orders' }, { $inc: { seq: 1 } });
    const after = await counters.findOneAndUpdate({ _id: 'orders' }, { $inc: { seq: 1 } }, { returnDocument: 'after' });
    const created = await counters.findOneAndUpdate(
      { _id: 'invoices' },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );

    assert.deepEqual(before, { _id: 'orders', seq: 41 });
    assert.deepEqual(after, { _id: 'orders', seq: 43 });
    assert.deepEqual(created, { _id: 'invoices', seq: 1 });
  });

  it('when documents are counted and distinct values asked for, then the numbers and values match the data', async () => {
    const reviews = fixture.db.collection('reviews');
    await reviews.insertMany([
      { product: 'pen', stars: 5 },
      { product: 'pen', stars: 3 },
      { product: 'mug', stars: 5 },
      { product: 'book', stars: 1 },
    ]);

    assert.equal(await reviews.countDocuments({ stars: { $gte: 3 } }), 3);
    assert.equal(await reviews.countDocuments(), 4);
    assert.equal(await reviews.estimatedDocumentCount(), 4);
    assert.deepEqual((await reviews.distinct('product')).sort(), ['book', 'mug', 'pen']);
    assert.deepEqual((await reviews.distinct('product', { stars: 5 })).sort(), ['mug', 'pen']);
  });
}
