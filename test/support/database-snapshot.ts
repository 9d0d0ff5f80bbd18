import { MongoClient } from 'mongodb';

/**
 * Everything the shop keeps except sessions (which move on every request), as one string:
 * equal snapshots mean no user, cart, product or order changed.
 */
export async function databaseSnapshot(databaseUri: string): Promise<string> {
  const client = await new MongoClient(databaseUri, { serverSelectionTimeoutMS: 5000 }).connect();
  try {
    const database = client.db();
    const names = (await database.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name).filter((name) => name !== 'sessions').sort();
    const contents = await Promise.all(names.map(async (name) => [name, await database.collection(name).find().sort({ _id: 1 }).toArray()]));
    return JSON.stringify(contents);
  } finally {
    await client.close();
  }
}
