import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import mongoose, { type Types } from 'mongoose';
import { connectDatabase } from '../../models/db.ts';
import { Order } from '../../models/order.ts';
import { Product } from '../../models/product.ts';
import { User } from '../../models/user.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';

// The shop's own models, connected as the shop connects them, against the test database
// (the embedded server, or a real MongoDB when MONGODB_URI is set).
describe('the shop models (mongoose 9) over TCP', () => {
  let database: TestDatabase;

  before(async () => {
    database = await startTestDatabase();
    // Builds the indexes too, so the unique email is enforced from the first save.
    await connectDatabase(database.uri('mongoose'));
  });

  after(async () => {
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
    await database?.stop();
  });

  beforeEach(async () => {
    await Promise.all([User.deleteMany({}), Product.deleteMany({}), Order.deleteMany({})]);
  });

  function newUser(email: string) {
    // The schema stores whatever hash it is given; these tests never log in.
    return User.create({ email, password: 'a bcrypt hash' });
  }

  function productOf(userId: Types.ObjectId, title: string, price: number) {
    return { title, price, description: `A ${title.toLowerCase()} for the tests.`, imageUrl: '/images/book.svg', userId };
  }

  async function userWithProducts() {
    const user = await newUser('ann@example.com');
    const [pen, book] = await Product.create([productOf(user._id, 'Pen', 2), productOf(user._id, 'Book', 12)]);
    assert.ok(pen && book);
    return { user, pen, book };
  }

  function cartOf(user: { cart: { items: { productId: Types.ObjectId; quantity: number }[] } } | null) {
    return user?.cart.items.map((item) => ({ productId: item.productId.toHexString(), quantity: item.quantity }));
  }

  it('when a second user signs up with the same email, then saving rejects with duplicate key code 11000', async () => {
    await newUser('ann@example.com');

    await assert.rejects(new User({ email: 'ann@example.com', password: 'another hash' }).save(), { code: 11000 });
    assert.equal(await User.countDocuments({ email: 'ann@example.com' }), 1);
  });

  it('when products are populated, then each carries the user document it references', async () => {
    await userWithProducts();

    const products = await Product.find().sort({ price: 1 }).populate<{ userId: { email: string } }>('userId');

    assert.deepEqual(
      products.map((product) => [product.title, product.userId.email]),
      [
        ['Pen', 'ann@example.com'],
        ['Book', 'ann@example.com'],
      ],
    );
  });

  it('when a cart item is incremented through the positional operator, then only that item changes', async () => {
    const { user, pen, book } = await userWithProducts();
    await User.updateOne({ _id: user._id }, { $set: { 'cart.items': [{ productId: pen._id, quantity: 1 }, { productId: book._id, quantity: 1 }] } });

    const result = await User.updateOne({ _id: user._id, 'cart.items.productId': book._id }, { $inc: { 'cart.items.$.quantity': 1 } });

    assert.equal(result.modifiedCount, 1);
    assert.deepEqual(cartOf(await User.findById(user._id)), [
      { productId: pen._id.toHexString(), quantity: 1 },
      { productId: book._id.toHexString(), quantity: 2 },
    ]);
  });

  it('when products are added to the cart twice and once, then the stored cart counts each', async () => {
    const { user, pen, book } = await userWithProducts();

    await user.addToCart(pen);
    const loaded = await User.findById(user._id).orFail();
    await loaded.addToCart(pen);
    await loaded.addToCart(book);

    assert.deepEqual(cartOf(await User.findById(user._id)), [
      { productId: pen._id.toHexString(), quantity: 2 },
      { productId: book._id.toHexString(), quantity: 1 },
    ]);
  });

  it('when an item is removed from a loaded cart, then the stored cart keeps only the others', async () => {
    const { user, pen, book } = await userWithProducts();
    await user.addToCart(pen);
    await user.addToCart(book);

    const loaded = await User.findById(user._id).orFail();
    await loaded.removeFromCart(pen._id);

    assert.deepEqual(cartOf(await User.findById(user._id)), [{ productId: book._id.toHexString(), quantity: 1 }]);
  });

  it('when a password is changed, then the hash and the credential version change together in one update', async () => {
    const user = await newUser('ann@example.com');

    await user.changePassword('a new hash');

    const stored = await User.findById(user._id).orFail();
    assert.equal(stored.password, 'a new hash');
    assert.equal(stored.credentialVersion, 1);
  });

  it('when findOneAndUpdate upserts a missing product twice, then it is created once and keeps the fields set on insert', async () => {
    const { user } = await userWithProducts();
    const upsertLamp = (price: number, description: string) =>
      Product.findOneAndUpdate(
        { title: 'Lamp' },
        { $set: { price }, $setOnInsert: { description, imageUrl: '/images/lamp.svg', userId: user._id } },
        { upsert: true, returnDocument: 'after' },
      ).orFail();

    const created = await upsertLamp(30, 'The first description.');
    const updated = await upsertLamp(25, 'A description for a lamp that already exists.');

    assert.equal(created.price, 30);
    assert.equal(updated.price, 25);
    assert.ok(updated._id.equals(created._id));
    assert.equal(updated.description, 'The first description.');
    assert.equal(await Product.countDocuments({ title: 'Lamp' }), 1);
  });

  it('when products are counted and the cheap ones deleted, then the counts follow', async () => {
    const { user } = await userWithProducts();
    await Product.create(productOf(user._id, 'Eraser', 1));

    const before = await Product.countDocuments({ userId: user._id });
    const deleted = await Product.deleteMany({ price: { $lt: 5 } });
    const afterDelete = await Product.countDocuments();

    assert.equal(before, 3);
    assert.equal(deleted.deletedCount, 2);
    assert.equal(afterDelete, 1);
  });

  it('when an order keeps a snapshot of a product, then later product changes do not alter the order', async () => {
    const { user, book } = await userWithProducts();
    // As the shop's checkout (postOrder) writes an order.
    const order = await Order.create({
      products: [{ product: { ...book.toObject(), productId: book._id }, quantity: 2 }],
      user: { email: user.email, userId: user._id },
    });

    await Product.updateOne({ _id: book._id }, { $set: { price: 99, title: 'Book (2nd ed.)' } });
    const stored = await Order.findById(order._id).orFail();

    const line = stored.products[0]!;
    assert.equal(line.quantity, 2);
    assert.equal(line.product?.title, 'Book');
    assert.equal(line.product?.price, 12);
    assert.ok(book._id.equals(line.product?.productId));
    assert.equal(stored.user?.email, 'ann@example.com');
    assert.ok(stored.createdAt instanceof Date);
  });
});
