import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthModeName, SessionStoreName } from '../../config.ts';
import { freePort } from '../../test/support/child-process.ts';
import { startNodeProcess, type ProcessUsage } from './child-process.ts';
import { startDatabaseProcess, type DatabaseProcess } from './database.ts';

export interface ShopSettings {
  authMode: AuthModeName;
  sessionStore?: SessionStoreName;
  /** Another entry point than server.ts (connect-mongo's shop). */
  script?: string;
  /** A database in its own process; unset, the shop starts the embedded one in-process. */
  databaseUri?: string;
  bcryptRounds?: number;
  sessionIdleMinutes?: number;
  /**
   * Ten parallel logins to one account from one address are what the login rate limiter is
   * there to refuse; a throughput run lifts its limits (real logins come from many accounts).
   */
  allowLoginBursts?: boolean;
}

export interface Shop extends ProcessUsage {
  url: string;
  /** Heap in use after a full garbage collection, in bytes; only `memory-reporting-shop.ts` answers. */
  heapUsedAfterGc(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The shop as its own process, configured as in production (view cache on, Secure cookies behind
 * a TLS proxy: send `behindTlsProxy`), on a free port with a fresh data directory.
 */
export async function startShop(settings: ShopSettings): Promise<Shop> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-shop-'));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env = {
    NODE_ENV: 'production',
    PORT: String(port),
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    TRUST_PROXY: 'loopback', // the benchmark plays the TLS proxy (behindTlsProxy)
    AUTH_MODE: settings.authMode,
    SESSION_STORE: settings.sessionStore ?? 'memory',
    BCRYPT_ROUNDS: String(settings.bcryptRounds ?? 4), // the page benchmarks never check a password
    ...(settings.databaseUri && { MONGODB_URI: settings.databaseUri }),
    ...(settings.sessionIdleMinutes && { SESSION_IDLE_MINUTES: String(settings.sessionIdleMinutes) }),
    ...(settings.allowLoginBursts && {
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
      LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL: '100000',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
    }),
  };
  const server = await startNodeProcess(settings.script ?? 'server.ts', [], env, { http: `${url}/healthz` });
  return {
    url,
    rss: server.rss,
    cpuSeconds: server.cpuSeconds,
    heapUsedAfterGc: async () => Number(await server.ask('SIGUSR2', /heap used after GC: (\d+)/)),
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `use` against a fresh shop (and its own database process, if asked), then stops both. */
export async function withShop<T>(
  settings: Omit<ShopSettings, 'databaseUri'> & { databaseProcess?: boolean; ttlIntervalMs?: number },
  use: (shop: Shop, database: DatabaseProcess | undefined) => Promise<T>,
): Promise<T> {
  const database = settings.databaseProcess ? await startDatabaseProcess({ ttlIntervalMs: settings.ttlIntervalMs }) : undefined;
  try {
    const shop = await startShop({ ...settings, databaseUri: database?.uri });
    try {
      return await use(shop, database);
    } finally {
      await shop.stop();
    }
  } finally {
    await database?.stop();
  }
}

/** What a TLS-terminating proxy adds: with it, the production shop sets its Secure cookies. */
export const behindTlsProxy = { 'x-forwarded-proto': 'https' } as const;
