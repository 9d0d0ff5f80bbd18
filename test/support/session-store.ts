import { MongoClient } from 'mongodb';

/** The app's `sessions` collection, read with the real driver behind the app's back. */
export interface StoredSessions {
  ids(): Promise<string[]>;
  close(): Promise<void>;
}

export async function storedSessions(databaseUri: string): Promise<StoredSessions> {
  const client = await new MongoClient(databaseUri, { serverSelectionTimeoutMS: 5000 }).connect();
  const sessions = client.db().collection<{ _id: string }>('sessions');
  return {
    async ids() {
      return (await sessions.find({}, { projection: { _id: 1 } }).toArray()).map(({ _id }) => _id);
    },
    close: () => client.close(),
  };
}
