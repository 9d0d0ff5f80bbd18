import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { DriverFixture } from './driver-fixture.ts';

/** Aggregation pipelines over a small shop: products, and orders that reference them. */
export function aggregateCases(fixture: DriverFixture): void {
  before(async () => {
    await fixture.db.collection<{ _id: string; name: string; price: number }>('agg_products').insertMany([
      { _id: 'pen', name: 'Pen', price: 2 },
      { _id: 'book', name: 'Book', price: 10 },
      { _id: 'mug', name: 'Mug', price: 5 },
    ]);
    await fixture.db.collection('agg_orders').insertMany([
      { user: 'ann', placed: 1, items: [{ productId: 'pen', qty: 3 }, { productId: 'book', qty: 1 }] },
      { user: 'bob', placed: 2, items: [{ productId: 'book', qty: 2 }] },
      { user: 'ann', placed: 3, items: [{ productId: 'mug', qty: 1 }] },
      { user: 'cid', placed: 4, items: [{ productId: 'pen', qty: 1 }] },
    ]);
  });

  it('when orders are unwound, joined to products with $lookup and grouped, then each user gets their total spend', async () => {
    const spend = await fixture.db
      .collection('agg_orders')
      .aggregate([
        { $unwind: '$items' },
        { $lookup: { from: 'agg_products', localField: 'items.productId', foreignField: '_id', as: 'product' } },
        { $unwind: '$product' },
        { $project: { user: 1, total: { $multiply: ['$items.qty', '$product.price'] } } },
        { $group: { _id: '$user', spent: { $sum: '$total' }, lines: { $sum: 1 } } },
        { $sort: { spent: -1 } },
      ])
      .toArray();

    // ann: 3×2 + 1×10 + 1×5 = 21, bob: 2×10 = 20, cid: 1×2 = 2.
    assert.deepEqual(spend, [
      { _id: 'ann', spent: 21, lines: 3 },
      { _id: 'bob', spent: 20, lines: 1 },
      { _id: 'cid', spent: 2, lines: 1 },
    ]);
  });

  it('when a pipeline matches, sorts, skips and limits, then exactly that slice comes back', async () => {
    const slice = await fixture.db
      .collection('agg_orders')
      .aggregate([{ $match: { placed: { $gte: 2 } } }, { $sort: { placed: -1 } }, { $skip: 1 }, { $limit: 1 }, { $project: { _id: 0, user: 1 } }])
      .toArray();

    assert.deepEqual(slice, [{ user: 'ann' }]);
  });

  it('when a pipeline ends in $count, then it returns the number of matching documents under that name', async () => {
    const counted = await fixture.db
      .collection('agg_orders')
      .aggregate([{ $match: { user: 'ann' } }, { $count: 'orders' }])
      .toArray();

    assert.deepEqual(counted, [{ orders: 2 }]);
  });
}
