import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MongoBulkWriteError, MongoServerError } from 'mongodb';
import type { DriverFixture } from './driver-fixture.ts';

/** Unique indexes: what duplicate keys look like to a client, and managing indexes. */
export function indexCases(fixture: DriverFixture): void {
  it('when a unique index exists, then a duplicate insert fails with code 11000 naming the key pattern and value', async () => {
    const users = fixture.db.collection('unique_users');
    const name = await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'ann@example.com' });

    await assert.rejects(users.insertOne({ email: 'ann@example.com' }), (error: MongoServerError) => {
      assert.equal(error.code, 11000);
      assert.deepEqual(error.keyPattern, { email: 1 });
      assert.deepEqual(error.keyValue, { email: 'ann@example.com' });
      assert.match(error.message, /duplicate key/);
      return true;
    });
    assert.equal(name, 'email_1');
    assert.equal(await users.countDocuments(), 1);
  });

  it('when an ordered insertMany hits a duplicate, then the documents before it are kept and the ones after it are not', async () => {
    const users = fixture.db.collection('ordered_users');
    await users.createIndex({ email: 1 }, { unique: true });

    await assert.rejects(
      users.insertMany([{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'a@example.com' }, { email: 'c@example.com' }]),
      (error: MongoBulkWriteError) => {
        assert.equal(error.code, 11000);
        assert.equal(error.insertedCount, 2);
        return true;
      },
    );
    const emails = await users.distinct('email');
    assert.deepEqual(emails.sort(), ['a@example.com', 'b@example.com']);
  });

  it('when indexes are listed and one is dropped, then the list changes and the dropped constraint no longer applies', async () => {
    const users = fixture.db.collection('managed_indexes');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.createIndex({ lastSeen: -1 });

    const listed = await users.listIndexes().toArray();
    await users.dropIndex('email_1');
    const afterDrop = await users.listIndexes().toArray();
    await users.insertMany([{ email: 'same@example.com' }, { email: 'same@example.com' }]);

    assert.deepEqual(listed.map((index) => index.name).sort(), ['_id_', 'email_1', 'lastSeen_-1']);
    assert.equal(listed.find((index) => index.name === 'email_1')?.unique, true);
    assert.deepEqual(listed.find((index) => index.name === 'lastSeen_-1')?.key, { lastSeen: -1 });
    assert.deepEqual(afterDrop.map((index) => index.name).sort(), ['_id_', 'lastSeen_-1']);
    assert.equal(await users.countDocuments({ email: 'same@example.com' }), 2);
  });
}
