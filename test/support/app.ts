import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import type { Express } from 'express';
import { loadConfig, type Config } from '../../config.ts';
import { startServer, type ServerOptions } from '../../server.ts';
import { Browser } from './browser.ts';
import { startTestDatabase } from './database.ts';

export interface TestApp {
  app: Express;
  url: string;
  /** A browser that keeps its cookies between requests. */
  browser: Browser;
  config: Config;
  /** Another browser, with no cookies yet. */
  newBrowser(): Browser;
  stop(): Promise<void>;
}

/** The real app on a free port, against a fresh database holding the demo data. */
export async function startTestApp(overrides: Partial<Config> = {}, options: ServerOptions = {}): Promise<TestApp> {
  const database = await startTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-test-'));
  const config: Config = Object.freeze({
    // Every test client signs up from 127.0.0.1: the per-address limit's own tests set theirs.
    ...loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, BCRYPT_ROUNDS: '4', SIGNUP_MAX_PER_ADDRESS: '1000' }),
    mongodbUri: database.uri('shop'),
    ...overrides,
  });
  const server = await startServer(config, options);
  const newBrowser = () => new Browser(server.url);
  return {
    app: server.app,
    url: server.url,
    browser: newBrowser(),
    config,
    newBrowser,
    async stop() {
      await server.stop();
      await database.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The shop alone, without the lessons plug-in (no lessons, inspector or instructor panel): the shop's
 * own tests run against it, so the shop cannot come to need what teaching/ adds.
 */
export function startShop(overrides: Partial<Config> = {}, options: ServerOptions = {}): Promise<TestApp> {
  return startTestApp(overrides, { ...options, plugins: [] });
}

/**
 * One app for all the tests of the enclosing file or describe: started in before(), stopped in after().
 * Returns an accessor, since the app exists only once the hook has run. `setUp` runs in that same hook,
 * once the app is up: on Node 20 a second top-level before() would run alongside, not after it.
 */
export function appPerSuite(overrides: Partial<Config> = {}, setUp?: () => Promise<void>): () => TestApp {
  return perSuite(() => startTestApp(overrides), setUp);
}

/** appPerSuite for the shop alone (see startShop). */
export function shopPerSuite(overrides: Partial<Config> = {}, setUp?: () => Promise<void>): () => TestApp {
  return perSuite(() => startShop(overrides), setUp);
}

function perSuite(start: () => Promise<TestApp>, setUp?: () => Promise<void>): () => TestApp {
  let shop: TestApp | undefined;
  before(async () => {
    shop = await start();
    await setUp?.();
  });
  after(() => shop?.stop());
  return () => {
    if (!shop) throw new Error('The app starts in before(): use it inside hooks and tests.');
    return shop;
  };
}

/**
 * For tests that each need an app set up their own way: wraps `start` (e.g. startTestApp) so that
 * what a test starts is stopped after that test (afterEach), even when the test fails.
 */
export function appPerTest<Args extends unknown[], App extends { stop(): Promise<void> }>(
  start: (...args: Args) => Promise<App>,
): (...args: Args) => Promise<App> {
  let running: App | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return async (...args) => (running = await start(...args));
}
