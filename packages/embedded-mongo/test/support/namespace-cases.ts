import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DriverFixture } from './driver-fixture.ts';

/** Databases and collections: listing, dropping, isolation, and the server answering at all. */
export function namespaceCases(fixture: DriverFixture): void {
  it('when the server is pinged, then it answers ok', async () => {
    const reply = await fixture.db.command({ ping: 1 });

    assert.equal(reply.ok, 1);
  });

  it('when collections are created and one is dropped, then listCollections shows exactly the remaining ones', async () => {
    const db = fixture.client.db(`${fixture.db.databaseName}_colls`);
    await db.collection('carts').insertOne({ items: [] });
    await db.createCollection('orders');
    await db.collection('wishlists').insertOne({ items: [] });

    const dropped = await db.collection('wishlists').drop();
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name);
    await db.dropDatabase();

    assert.equal(dropped, true);
    assert.deepEqual(names.sort(), ['carts', 'orders']);
  });

  it('when a database holds data, then listDatabases shows it, and after dropDatabase it and its data are gone', async () => {
    const db = fixture.client.db(`${fixture.db.databaseName}_dropme`);
    await db.collection('things').insertOne({ keep: false });
    const databaseNames = async () =>
      (await fixture.client.db('admin').admin().listDatabases()).databases.map((info) => info.name);

    const listedBefore = await databaseNames();
    const dropped = await db.dropDatabase();
    const listedAfter = await databaseNames();

    assert.ok(listedBefore.includes(db.databaseName), `listed: ${listedBefore.join(', ')}`);
    assert.equal(dropped, true);
    assert.ok(!listedAfter.includes(db.databaseName), `listed: ${listedAfter.join(', ')}`);
    assert.equal(await db.collection('things').countDocuments(), 0);
    assert.deepEqual(await db.listCollections().toArray(), []);
  });

  it('when two databases use the same collection name, then each sees only its own documents', async () => {
    const shopA = fixture.client.db(`${fixture.db.databaseName}_a`);
    const shopB = fixture.client.db(`${fixture.db.databaseName}_b`);
    await shopA.collection('products').insertMany([{ title: 'Pen' }, { title: 'Mug' }]);
    await shopB.collection('products').insertOne({ title: 'Book' });
    await shopB.collection('products').deleteMany({ title: 'Pen' });

    const titlesA = await shopA.collection('products').distinct('title');
    const titlesB = await shopB.collection('products').distinct('title');
    await Promise.all([shopA.dropDatabase(), shopB.dropDatabase()]);

    assert.deepEqual(titlesA.sort(), ['Mug', 'Pen']);
    assert.deepEqual(titlesB, ['Book']);
  });
}
