import { MongoClient, type ObjectId } from 'mongodb';

/** Product id → quantity. */
export type Quantities = Map<string, number>;

export interface Purchases {
  cart: Quantities;
  orders: Quantities[];
}

interface StoredUser {
  _id: ObjectId;
  email: string;
  cart: { items: { productId: ObjectId; quantity: number }[] };
}
interface StoredOrder {
  user: { userId: ObjectId };
  products: { product: { productId: ObjectId }; quantity: number }[];
}

/** Each user's cart and orders as the database holds them, read with the real driver. */
export async function purchasesInDatabase(databaseUri: string, emails: readonly string[]): Promise<Map<string, Purchases>> {
  const client = await new MongoClient(databaseUri, { serverSelectionTimeoutMS: 10_000 }).connect();
  try {
    const database = client.db();
    const users = await database.collection<StoredUser>('users').find({ email: { $in: [...emails] } }).toArray();
    const orders = await database.collection<StoredOrder>('orders').find({ 'user.userId': { $in: users.map(({ _id }) => _id) } }).toArray();
    return new Map(
      users.map((user) => [
        user.email,
        {
          cart: new Map(user.cart.items.map(({ productId, quantity }) => [productId.toHexString(), quantity])),
          orders: orders
            .filter((order) => order.user.userId.equals(user._id))
            .map((order) => new Map(order.products.map(({ product, quantity }) => [product.productId.toHexString(), quantity]))),
        },
      ]),
    );
  } finally {
    await client.close();
  }
}

/** Everything a user holds, cart and orders together, per product. */
export function totalQuantities({ cart, orders }: Purchases): Quantities {
  const total = new Map(cart);
  for (const order of orders) for (const [product, quantity] of order) total.set(product, (total.get(product) ?? 0) + quantity);
  return total;
}

/** Two quantity maps as sorted entries, for assert.deepEqual. */
export function sortedEntries(quantities: Quantities): [string, number][] {
  return [...quantities].sort(([a], [b]) => a.localeCompare(b));
}

/** Product id → title, for every product in the shop. */
export async function catalogInDatabase(databaseUri: string): Promise<Map<string, string>> {
  const client = await new MongoClient(databaseUri, { serverSelectionTimeoutMS: 10_000 }).connect();
  try {
    const products = await client.db().collection<{ _id: ObjectId; title: string }>('products').find().toArray();
    return new Map(products.map(({ _id, title }) => [_id.toHexString(), title]));
  } finally {
    await client.close();
  }
}
