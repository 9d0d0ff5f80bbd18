import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import type { AuthModeName, SessionStoreName } from '../../config.ts';
import { withDatabaseName } from './database.ts';
import { freePort, startScript } from './child-process.ts';
import { waitUntil } from 'embedded-mongo/testing';

/** Unset fields take the app's own defaults. */
export interface AppOptions {
  authMode?: AuthModeName;
  sessionStore?: SessionStoreName;
  /** Runs `npm run cluster -- --workers=N` instead of a single process. */
  workers?: number;
  /** Runs the shop as `npm start` does, under its supervisor: the instructor panel can restart it. */
  supervised?: boolean;
}

export interface AppServer {
  url: string;
  /**
   * Stops the app and starts it again on the same port, data directory and database; `changes`
   * restarts it in another mode or with another store (as `npm run start:memory` after
   * `npm start`), and later restarts keep them.
   */
  restart(changes?: Pick<AppOptions, 'authMode' | 'sessionStore'>): Promise<void>;
  stop(): Promise<void>;
}

/** Opens /instructor in every app the fixture starts. */
export const instructorToken = 'e2e-instructor-token';

const startTimeoutMs = 30_000;
// Longer than the shop's own 10 s grace for requests in flight: a supervisor killed before its shop has stopped
// would leave the shop holding the data directory that the next start needs.
const stopTimeoutMs = 15_000;

/** Starts `server.ts` as its own process, with its own data directory and database. */
async function startAppServer({ authMode = 'session', sessionStore = 'mongodb', workers, supervised = false }: AppOptions): Promise<AppServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-e2e-'));
  const sharedMongo = process.env.MONGODB_URI;
  const [script, args] = workers !== undefined ? ['scripts/cluster.ts', [`--workers=${workers}`]] : [supervised ? 'scripts/supervise.ts' : 'server.ts', []];
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    // The lowest cost bcrypt accepts: logins in a test run need not resist cracking.
    BCRYPT_ROUNDS: '4',
    // Every test browser signs up from 127.0.0.1: the per-address limit would stop a long run.
    SIGNUP_MAX_PER_ADDRESS: '1000',
    INSTRUCTOR_TOKEN: instructorToken,
    // On a shared server every instance gets its own database, so parallel workers never meet.
    ...(sharedMongo ? { MONGODB_URI: withDatabaseName(sharedMongo, `e2e_${randomBytes(4).toString('hex')}`) } : {}),
  };
  let settings = { AUTH_MODE: authMode, SESSION_STORE: sessionStore };
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const startApp = async () => {
    const app = await startScript(script, args, {
      env: { ...env, ...settings, PORT: String(port) },
      readyWhen: { http: `${url}/healthz` },
      timeoutMs: startTimeoutMs,
      stopTimeoutMs,
      // The app's errors show in the test run as they happen.
      stderr: 'inherit',
    });
    // A cluster answers once its first worker listens; the demos need every worker taking its turn.
    if (workers !== undefined) await waitUntil(`${workers} workers answer`, async () => (await workersAnswering(url, workers)) === workers);
    return app;
  };
  let app = await startApp().catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url,
    async restart(changes) {
      await app.stop();
      // The same port: the browser's cookies for it, and the test's base URL, still apply.
      settings = { AUTH_MODE: changes?.authMode ?? settings.AUTH_MODE, SESSION_STORE: changes?.sessionStore ?? settings.SESSION_STORE };
      app = await startApp();
    },
    async stop() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** How many workers answer `count` requests to /healthz on fresh connections (the cluster deals connections out in turn). */
async function workersAnswering(url: string, count: number): Promise<number> {
  const servedBy = await Promise.all(
    Array.from({ length: count * 2 }, async () => (await fetch(`${url}/healthz`, { headers: { connection: 'close' } })).headers.get('x-served-by')),
  );
  return new Set(servedBy).size;
}

/**
 * `test` with its own app server, started with `appOptions`
 * (`test.use({ appOptions: { authMode: 'cookie' } })`); `page.goto('/')` goes to it.
 * One server per test: global mode keeps a login in the server process, and a fresh
 * server costs about a second.
 */
export const test = base.extend<{ appOptions: AppOptions; appServer: AppServer }>({
  appOptions: [{}, { option: true }],
  appServer: [
    async ({ appOptions }, use) => {
      const server = await startAppServer(appOptions);
      await use(server);
      await server.stop();
    },
    { timeout: startTimeoutMs + stopTimeoutMs + 10_000 },
  ],
  baseURL: async ({ appServer }, use) => {
    await use(appServer.url);
  },
});

export { expect } from '@playwright/test';
