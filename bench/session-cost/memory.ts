import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { MongoClient } from 'mongodb';
import type { DatabaseProcess } from './database.ts';
import { behindTlsProxy, withShop, type Shop, type ShopSettings } from './shop.ts';

export interface ShopMemory {
  rss: number;
  heapUsedAfterGc: number;
}

export interface MemoryPoint {
  sessions: number;
  memoryStoreShop: ShopMemory;
  mongoStoreShop: ShopMemory;
  databaseRss: number;
  storedInMongo: number;
}

export interface ExpiryFigures {
  sessions: number;
  idleSeconds: number;
  ttlIntervalMs: number;
  memoryStoreHeap: { before: number; afterCreating: number; afterIdle: number };
  storedInMongo: { afterCreating: number; afterIdle: number };
}

const reportingShop = 'bench/session-cost/memory-reporting-shop.ts';

/**
 * Server memory as sessions pile up: the memory store keeps every one in the shop's heap; the
 * MongoDB store keeps them in the database process. The visits are the cheap ones a crawler
 * makes, first visits to the login page: before issue 10 each stored a session (its CSRF token);
 * now the token goes in the signed visitor cookie and the stores should stay empty (S21).
 */
export async function measureMemory(sessionCounts: readonly number[]): Promise<MemoryPoint[]> {
  return withBothStores({}, async ({ memoryShop, mongoShop, database }) => {
    const pointAt = async (sessions: number): Promise<MemoryPoint> => ({
      sessions,
      memoryStoreShop: await memoryOf(memoryShop),
      mongoStoreShop: await memoryOf(mongoShop),
      databaseRss: await database.rss(),
      storedInMongo: await storedSessions(database),
    });
    const points = [await pointAt(0)];
    for (const count of sessionCounts) {
      const created = points.at(-1)!.sessions;
      await createSessions(memoryShop, count - created);
      await createSessions(mongoShop, count - created);
      points.push(await pointAt(count));
      console.log(`  ${count} sessions in each store`);
    }
    return points;
  });
}

/**
 * Sessions idle past SESSION_IDLE_MINUTES leave the MongoDB store by its TTL index, read or not;
 * the memory store deletes one only when a request reads it, so its heap keeps them.
 */
export async function measureExpiry(): Promise<ExpiryFigures> {
  const sessions = 5_000;
  const idleSeconds = 15; // longer than creating the sessions takes, so all of them are counted
  const ttlIntervalMs = 1_000;
  return withBothStores({ sessionIdleMinutes: idleSeconds / 60, ttlIntervalMs }, async ({ memoryShop, mongoShop, database }) => {
    const before = await memoryShop.heapUsedAfterGc();
    await createSessions(memoryShop, sessions);
    await createSessions(mongoShop, sessions);
    const afterCreating = { heap: await memoryShop.heapUsedAfterGc(), stored: await storedSessions(database) };
    await sleep(idleSeconds * 1000 + 2 * ttlIntervalMs);
    const afterIdle = { heap: await memoryShop.heapUsedAfterGc(), stored: await storedSessions(database) };
    console.log(`  expiry: ${afterCreating.stored} sessions in MongoDB, ${afterIdle.stored} after ${idleSeconds} s idle`);
    return {
      sessions,
      idleSeconds,
      ttlIntervalMs,
      memoryStoreHeap: { before, afterCreating: afterCreating.heap, afterIdle: afterIdle.heap },
      storedInMongo: { afterCreating: afterCreating.stored, afterIdle: afterIdle.stored },
    };
  });
}

interface BothStores {
  memoryShop: Shop;
  mongoShop: Shop;
  database: DatabaseProcess;
}

/** A memory-store shop and a MongoDB-store shop with its database in its own process, side by side. */
async function withBothStores<T>(
  settings: Pick<ShopSettings, 'sessionIdleMinutes'> & { ttlIntervalMs?: number },
  use: (shops: BothStores) => Promise<T>,
): Promise<T> {
  const shop = { ...settings, authMode: 'session', script: reportingShop } as const;
  return withShop({ ...shop, sessionStore: 'memory' }, (memoryShop) =>
    withShop({ ...shop, sessionStore: 'mongodb', databaseProcess: true }, (mongoShop, database) =>
      use({ memoryShop, mongoShop, database: database! }),
    ),
  );
}

async function memoryOf(shop: Shop): Promise<ShopMemory> {
  const heapUsedAfterGc = await shop.heapUsedAfterGc(); // first, so RSS is read without the garbage
  return { rss: await shop.rss(), heapUsedAfterGc };
}

async function createSessions(shop: Shop, amount: number): Promise<void> {
  const result = await autocannon({ url: new URL('/login', shop.url).href, connections: 10, amount, headers: behindTlsProxy });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${failed} of ${amount} first visits to ${shop.url}/login failed.`);
}

async function storedSessions(database: DatabaseProcess): Promise<number> {
  const client = await MongoClient.connect(database.uri);
  try {
    return await client.db().collection('sessions').countDocuments();
  } finally {
    await client.close();
  }
}
