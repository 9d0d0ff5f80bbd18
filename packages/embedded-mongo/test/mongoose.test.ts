import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import mongoose, { type Connection, type Types } from 'mongoose';
import { startTestDatabase, type TestDatabase } from '../testing/database.ts';
import { shopModels, type ShopModels } from './support/shop-models.ts';

describe('mongoose 9 shop models over TCP', () => {
  let database: TestDatabase;
  let connection: Connection;
  let models: ShopModels;

  before(async () => {
    database = await startTestDatabase();
    connection = await mongoose.createConnection(database.uri('mongoose')).asPromise();
    models = shopModels(connection);
    // Index builds run in the background after model compilation; wait so `unique` is enforced.
    await Promise.all(Object.values(models).map((model) => model.init()));
  });

  after(async () => {
    await connection?.dropDatabase();
    await connection?.close();
    await database?.stop();
  });

  beforeEach(async () => {
    const { User, Product, Order } = models;
    await Promise.all([User.deleteMany({}), Product.deleteMany({}), Order.deleteMany({})]);
  });

  async function userWithProducts() {
    const user = await models.User.create({ name: 'Ann', email: 'ann@example.com', cart: { items: [] } });
    const [pen, book] = await models.Product.create([
      { title: 'Pen', price: 2, userId: user._id },
      { title: 'Book', price: 12, userId: user._id },
    ]);
    assert.ok(pen && book);
    return { user, pen, book };
  }

  function cartOf(user: { cart?: { items: { productId: Types.ObjectId; quantity: number }[] } | null } | null) {
    return user?.cart?.items.map((item) => ({ productId: item.productId.toHexString(), quantity: item.quantity }));
  }

  it('when a second user signs up with the same email, then saving rejects with duplicate key code 11000', async () => {
    await models.User.create({ name: 'Ann', email: 'ann@example.com' });

    await assert.rejects(new models.User({ name: 'Impostor', email: 'ann@example.com' }).save(), { code: 11000 });
    assert.equal(await models.User.countDocuments({ email: 'ann@example.com' }), 1);
  });

  it('when products are populated, then each carries the user document it references', async () => {
    await userWithProducts();

    const products = await models.Product.find().sort({ price: 1 }).populate<{ userId: { name: string; email: string } }>('userId');

    assert.deepEqual(
      products.map((product) => [product.title, product.userId.name, product.userId.email]),
      [
        ['Pen', 'Ann', 'ann@example.com'],
        ['Book', 'Ann', 'ann@example.com'],
      ],
    );
  });

  it('when a cart item is incremented through the positional operator, then only that item changes', async () => {
    const { user, pen, book } = await userWithProducts();
    await models.User.updateOne({ _id: user._id }, { $set: { 'cart.items': [{ productId: pen._id, quantity: 1 }, { productId: book._id, quantity: 1 }] } });

    const result = await models.User.updateOne(
      { _id: user._id, 'cart.items.productId': book._id },
      { $inc: { 'cart.items.$.quantity': 1 } },
    );

    assert.equal(result.modifiedCount, 1);
    assert.deepEqual(cartOf(await models.User.findById(user._id)), [
      { productId: pen._id.toHexString(), quantity: 1 },
      { productId: book._id.toHexString(), quantity: 2 },
    ]);
  });

  it('when a loaded cart is changed and saved, then the stored cart shows the new quantity and the added item', async () => {
    const { user, pen, book } = await userWithProducts();
    user.cart!.items.push({ productId: pen._id, quantity: 1 });
    await user.save();

    const loaded = await models.User.findById(user._id).orFail();
    loaded.cart!.items[0]!.quantity++;
    loaded.cart!.items.push({ productId: book._id, quantity: 3 });
    await loaded.save();

    assert.deepEqual(cartOf(await models.User.findById(user._id)), [
      { productId: pen._id.toHexString(), quantity: 2 },
      { productId: book._id.toHexString(), quantity: 3 },
    ]);
  });

  it('when an item is removed from a loaded cart and saved, then the stored cart keeps only the others', async () => {
    const { user, pen, book } = await userWithProducts();
    user.cart!.items.push({ productId: pen._id, quantity: 1 }, { productId: book._id, quantity: 4 });
    await user.save();

    const loaded = await models.User.findById(user._id).orFail();
    loaded.cart!.items.pull({ _id: loaded.cart!.items[0]!._id });
    await loaded.save();

    assert.deepEqual(cartOf(await models.User.findById(user._id)), [{ productId: book._id.toHexString(), quantity: 4 }]);
  });

  it('when findOneAndUpdate upserts a missing product, then it is created once and later updates keep its creation time', async () => {
    const { user } = await userWithProducts();
    const upsertLamp = (price: number) =>
      models.Product.findOneAndUpdate(
        { title: 'Lamp' },
        { $set: { price, userId: user._id } },
        { upsert: true, returnDocument: 'after' },
      ).orFail();

    const created = await upsertLamp(30);
    const updated = await upsertLamp(25);

    assert.equal(created.price, 30);
    assert.equal(updated.price, 25);
    assert.ok(updated._id.equals(created._id));
    assert.ok(created.createdAt instanceof Date);
    assert.equal(updated.createdAt.getTime(), created.createdAt.getTime());
    assert.equal(await models.Product.countDocuments({ title: 'Lamp' }), 1);
  });

  it('when products are counted and the cheap ones deleted, then the counts follow', async () => {
    const { user } = await userWithProducts();
    await models.Product.create({ title: 'Eraser', price: 1, userId: user._id });

    const before = await models.Product.countDocuments({ userId: user._id });
    const deleted = await models.Product.deleteMany({ price: { $lt: 5 } });
    const afterDelete = await models.Product.countDocuments();

    assert.equal(before, 3);
    assert.equal(deleted.deletedCount, 2);
    assert.equal(afterDelete, 1);
  });

  it('when an order embeds a product snapshot, then later product changes do not alter the order', async () => {
    const { user, book } = await userWithProducts();
    const order = await models.Order.create({
      products: [{ product: book.toObject(), quantity: 2 }],
      user: { email: user.email, userId: user._id },
    });

    await models.Product.updateOne({ _id: book._id }, { $set: { price: 99, title: 'Book (2nd ed.)' } });
    const stored = await models.Order.findById(order._id).orFail();

    const line = stored.products[0]!;
    assert.equal(line.quantity, 2);
    assert.equal(line.product.title, 'Book');
    assert.equal(line.product.price, 12);
    assert.ok(book._id.equals(line.product._id));
    assert.equal(stored.user?.email, 'ann@example.com');
  });
});
