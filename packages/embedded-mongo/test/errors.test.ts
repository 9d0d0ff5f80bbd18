import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MongoClient, type MongoServerError } from 'mongodb';
import { driverPerSuite } from '../testing/database.ts';

/** The same server address with a user name and password that exist nowhere. */
function withUnknownCredentials(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?/, '$1nobody:wrong-password@');
}

function serverError(code: number, message: RegExp) {
  return (error: MongoServerError) => {
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
}

describe('errors a client sees from bad requests', () => {
  const suite = driverPerSuite('errors', (db) => db.collection('products').insertOne({ title: 'Pen', price: 2 }));

  it('when a command does not exist, then it fails with code 59 CommandNotFound naming it', async () => {
    await assert.rejects(suite().db.command({ noSuchCmd: 1 }), (error: MongoServerError) => {
      assert.equal(error.code, 59);
      assert.equal(error.codeName, 'CommandNotFound');
      assert.match(error.message, /noSuchCmd/);
      return true;
    });
  });

  it('when a filter uses an unknown field operator, then find fails with code 2 "unknown operator"', async () => {
    await assert.rejects(
      suite().db.collection('products').find({ price: { $notAnOperator: 1 } }).toArray(),
      serverError(2, /unknown operator: \$notAnOperator/),
    );
  });

  it('when a filter uses an unknown top-level operator, then find fails with code 2 naming it', async () => {
    await assert.rejects(
      suite().db.collection('products').find({ $notAnOperator: [{ price: 2 }] }).toArray(),
      serverError(2, /unknown top level operator: \$notAnOperator/),
    );
  });

  it('when an update uses an unknown modifier, then it fails with code 9 "Unknown modifier" and nothing changes', async () => {
    await assert.rejects(
      suite().db.collection('products').updateOne({ title: 'Pen' }, { $notAnOperator: { price: 3 } }),
      serverError(9, /Unknown modifier: \$notAnOperator/),
    );
    assert.deepEqual(await suite().db.collection('products').findOne({}, { projection: { _id: 0 } }), { title: 'Pen', price: 2 });
  });

  it('when requests have failed, then the same client keeps being served', async () => {
    await Promise.allSettled([suite().db.command({ noSuchCmd: 1 }), suite().db.collection('products').find({ a: { $notAnOperator: 1 } }).toArray()]);

    assert.equal((await suite().db.command({ ping: 1 })).ok, 1);
    assert.equal(await suite().db.collection('products').countDocuments(), 1);
  });

  it('when the connection string carries credentials of a user that does not exist, then connect fails with code 18', async () => {
    const intruder = new MongoClient(withUnknownCredentials(suite().database.uri('errors')), { serverSelectionTimeoutMS: 5_000 });
    try {
      await assert.rejects(intruder.connect(), { code: 18 });
    } finally {
      await intruder.close();
    }
  });
});
