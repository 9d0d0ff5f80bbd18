import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { embeddedMongoUri } from 'embedded-mongo';
import { freePort } from '../test/support/child-process.ts';
import { problemsOf } from '../test/support/page-problems.ts';
import { startShopProcess, startStandaloneDatabase, type RunningProcess } from '../test/support/processes.ts';

/*
 * Issue 17: with the database gone, an open lesson page kept its last hint with no sign of trouble.
 * It says the database is out of reach and its hints are paused, and stops saying so once it is back.
 * The database runs as its own process here, so the test can stop it under a running shop.
 */

// Two processes to start, and an outage to sit through and recover from.
test.describe.configure({ timeout: 60_000 });

let dataDir: string;
let databasePort: number;
let database: RunningProcess | undefined;
let shop: RunningProcess | undefined;

test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shop-e2e-outage-'));
  databasePort = await freePort();
  database = await startStandaloneDatabase(databasePort, join(dataDir, 'db'));
  shop = await startShopProcess({
    MONGODB_URI: `${await embeddedMongoUri(join(dataDir, 'db'), databasePort)}shop`,
    DATA_DIR: join(dataDir, 'app'),
    AUTH_MODE: 'session',
    SESSION_STORE: 'mongodb',
  });
});

test.afterEach(async () => {
  await shop?.stop();
  await database?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

// A poll every 2 s, the driver's check every second, a reconnect: a few seconds either way.
const poll = { timeout: 15_000 };

test('when the database goes away under an open lesson page, then the page says its hints are paused, and the notice goes once the database is back', async ({ page }) => {
  const problems = problemsOf(page, { status: 503 }); // the page's polls while the database is away
  await page.goto(`${shop!.address}/lessons/sessions`);
  const notice = page.locator('[data-database-outage]');
  await expect(notice).toBeHidden();

  await database!.stop();
  await expect(notice).toBeVisible(poll);
  await expect(notice).toContainText('The shop cannot reach its database right now.');
  await expect(notice).toContainText('hints and progress on this page are paused');
  await expect(notice).toContainText('Nothing is lost');
  // It stays in sight at the top of the window while the student reads the task at the bottom.
  await page.locator('.task').scrollIntoViewIfNeeded();
  await expect(notice).toBeInViewport();

  database = await startStandaloneDatabase(databasePort, join(dataDir, 'db'));
  await expect(notice).toBeHidden(poll);
  expect(problems).toEqual([]);
});
