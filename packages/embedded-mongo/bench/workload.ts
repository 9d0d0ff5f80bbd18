import session from 'express-session';
import connectMongoDBSession from 'connect-mongodb-session';
import { MongoClient, ObjectId, type Collection } from 'mongodb';

const MongoDBStore = connectMongoDBSession(session);
type Store = InstanceType<typeof MongoDBStore>;

const FILL_BATCH = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

interface Product {
  _id: ObjectId;
  sku: string;
  name: string;
  price: number;
  stock: number;
  tags: string[];
}

/**
 * A products collection (unique `sku`) and a sessions collection behind connect-mongodb-session,
 * both of a given size, and the operations the benchmark times against them.
 */
export class DbWorkload {
  private readonly ids: ObjectId[] = [];
  private inserted: ObjectId[] = [];

  private readonly client: MongoClient;
  private readonly products: Collection<Product>;
  private readonly store: Store;

  private constructor(
    client: MongoClient,
    products: Collection<Product>,
    store: Store,
  ) {
    this.client = client;
    this.products = products;
    this.store = store;
  }

  /** Creates `products_<label>` and `sessions_<label>` with `size` documents each. */
  static async create(serverUri: string, label: string, size: number, maxPoolSize: number): Promise<DbWorkload> {
    const uri = `${serverUri}bench`;
    const client = await new MongoClient(uri, { maxPoolSize }).connect();
    const products = client.db().collection<Product>(`products_${label}`);
    await products.createIndex({ sku: 1 }, { unique: true });
    // Upstream connect-mongodb-session, so the session loop sends exactly its commands (through its driver 6).
    let failure: Error | undefined;
    const store = new MongoDBStore({ uri, collection: `sessions_${label}`, connectionOptions: { maxPoolSize } }, (error) => {
      failure = error;
    });
    if (!(await store.initialConnectionPromise) || failure) throw new Error(`session store: ${failure?.message}`);
    const workload = new DbWorkload(client, products, store);
    await workload.fill(size);
    return workload;
  }

  private async fill(count: number): Promise<void> {
    const sessions = this.store.collection;
    while (this.ids.length < count) {
      const from = this.ids.length;
      const batch = Array.from({ length: Math.min(FILL_BATCH, count - from) }, (_, i) => from + i);
      const products = batch.map((n) => product(new ObjectId(), `sku-${n}`));
      await this.products.insertMany(products);
      await sessions.insertMany(
        batch.map((n) => ({ _id: sessionId(n), session: sessionData(n), expires: new Date(Date.now() + DAY_MS) })),
      );
      this.ids.push(...products.map((doc) => doc._id));
    }
  }

  /** The timed operations, by the name the report prints. */
  operations(): Record<string, () => Promise<unknown>> {
    return {
      'insert': () => {
        const _id = new ObjectId();
        this.inserted.push(_id);
        return this.products.insertOne(product(_id, `new-${_id.toHexString()}`));
      },
      'findOne by _id': () => this.products.findOne({ _id: this.randomId() }),
      'findOne by unique sku': () => this.products.findOne({ sku: `sku-${this.randomIndex()}` }),
      'updateOne by _id': () => this.products.updateOne({ _id: this.randomId() }, { $inc: { stock: 1 } }),
      'session get + set': () => this.sessionRoundTrip(sessionId(this.randomIndex())),
    };
  }

  /** Deletes what the insert operation added, so the collection is back to its size. */
  async removeInserted(): Promise<void> {
    if (this.inserted.length === 0) return;
    // One delete by _id each: the embedded server answers a large `$in` in quadratic time.
    await this.products.bulkWrite(this.inserted.map((_id) => ({ deleteOne: { filter: { _id } } })));
    this.inserted = [];
  }

  async close(): Promise<void> {
    await this.store.client.close();
    await this.client.close();
  }

  // What express-session does on a request that changes the session: load it, then save it.
  private async sessionRoundTrip(sid: string): Promise<void> {
    const data = await new Promise<session.SessionData>((resolve, reject) =>
      this.store.get(sid, (error, found) => (error ? reject(error) : found ? resolve(found) : reject(new Error(`no session ${sid}`)))),
    );
    await new Promise<void>((resolve, reject) =>
      this.store.set(sid, { ...data, isLoggedIn: !data.isLoggedIn }, (error) => (error ? reject(error) : resolve())),
    );
  }

  private randomIndex(): number {
    return Math.floor(Math.random() * this.ids.length);
  }

  private randomId(): ObjectId {
    return this.ids[this.randomIndex()]!;
  }
}

function product(_id: ObjectId, sku: string): Product {
  return { _id, sku, name: `Product ${sku}`, price: 1999, stock: 10, tags: ['bench', 'shop'] };
}

const sessionId = (n: number) => `sid-${String(n).padStart(8, '0')}-benchmark-session`;

function sessionData(n: number): session.SessionData {
  return {
    cookie: { originalMaxAge: DAY_MS, expires: new Date(Date.now() + DAY_MS), httpOnly: true, path: '/', sameSite: 'lax' },
    isLoggedIn: true,
    userId: new ObjectId().toHexString(),
    flash: [],
    createdAt: Date.now() - n,
  };
}
