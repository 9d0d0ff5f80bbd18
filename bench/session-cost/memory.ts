import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { MongoClient } from 'mongodb';
import { behindTlsProxy, withShop } from './shop.ts';

export interface MemoryPoint {
  sessions: number;
  memoryStoreShopRss: number;
  mongoStoreShopRss: number;
  databaseRss: number;
  storedInMongo: number;
}

export interface ExpiryFigures {
  sessions: number;
  idleSeconds: number;
  ttlIntervalMs: number;
  storedAfterCreating: number;
  storedAfterIdle: number;
}

/**
 * Server memory as sessions pile up: the memory store keeps every one in the shop's heap; the
 * MongoDB store keeps them in the database process. Sessions are made the cheap way a crawler
 * makes them: each first visit to the login page stores a CSRF token, so a session.
 */
export async function measureMemory(sessionCounts: readonly number[]): Promise<MemoryPoint[]> {
  return withShop({ authMode: 'session', sessionStore: 'memory' }, (memoryShop) =>
    withShop({ authMode: 'session', sessionStore: 'mongodb', databaseProcess: true }, async (mongoShop, database) => {
      const pointAt = async (sessions: number): Promise<MemoryPoint> => ({
        sessions,
        memoryStoreShopRss: await memoryShop.rss(),
        mongoStoreShopRss: await mongoShop.rss(),
        databaseRss: (await database?.rss()) ?? Number.NaN,
        storedInMongo: await storedSessions(database?.uri),
      });
      const points = [await pointAt(0)];
      for (const count of sessionCounts) {
        const created = points.at(-1)!.sessions;
        await createSessions(memoryShop.url, count - created);
        await createSessions(mongoShop.url, count - created);
        points.push(await pointAt(count));
        console.log(`  ${count} sessions each`);
      }
      return points;
    }),
  );
}

/** Sessions idle past SESSION_IDLE_MINUTES leave the MongoDB store by its TTL index, unread. */
export async function measureExpiry(): Promise<ExpiryFigures> {
  const sessions = 1_000;
  const idleSeconds = 6;
  const ttlIntervalMs = 1_000;
  const settings = { authMode: 'session', sessionStore: 'mongodb', databaseProcess: true, ttlIntervalMs, sessionIdleMinutes: idleSeconds / 60 } as const;
  return withShop(settings, async (shop, database) => {
    await createSessions(shop.url, sessions);
    const storedAfterCreating = await storedSessions(database?.uri);
    await sleep(idleSeconds * 1000 + 2 * ttlIntervalMs);
    const storedAfterIdle = await storedSessions(database?.uri);
    console.log(`  expiry: ${storedAfterCreating} stored, ${storedAfterIdle} left after ${idleSeconds} s idle`);
    return { sessions, idleSeconds, ttlIntervalMs, storedAfterCreating, storedAfterIdle };
  });
}

async function createSessions(url: string, amount: number): Promise<void> {
  const result = await autocannon({ url: new URL('/login', url).href, connections: 10, amount, headers: behindTlsProxy });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${failed} of ${amount} first visits to ${url}/login failed.`);
}

async function storedSessions(databaseUri: string | undefined): Promise<number> {
  if (!databaseUri) return Number.NaN;
  const client = await MongoClient.connect(databaseUri);
  try {
    return await client.db().collection('sessions').countDocuments();
  } finally {
    await client.close();
  }
}
