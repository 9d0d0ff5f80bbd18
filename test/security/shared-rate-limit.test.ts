import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startShopProcess, type RunningProcess } from '../support/processes.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';
import { Browser } from '../support/browser.ts';

let database: TestDatabase;
let dataDir: string;
const shops: RunningProcess[] = [];
before(async () => {
  database = await startTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'shop-shared-limit-'));
  const env = {
    NODE_ENV: 'test',
    MONGODB_URI: database.uri('shop'),
    SESSION_STORE: 'mongodb',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DATA_DIR: dataDir,
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
  };
  // One after the other: the first seeds the empty database, the second finds it seeded.
  for (let shop = 0; shop < 2; shop += 1) shops.push(await startShopProcess(env));
});
after(async () => {
  await Promise.all(shops.map((shop) => shop.stop()));
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('S24 two instances on one database count login failures together: 2 wrong guesses on one and 1 on the other fill a limit of 3 on both', async () => {
  const [first, second] = shops.map((shop) => new Browser(shop.address));
  const guess = (browser: Browser | undefined) => browser!.logIn('alice@example.com', 'a wrong guess');
  assert.deepEqual([(await guess(first)).status, (await guess(first)).status, (await guess(second)).status], [422, 422, 422]);
  const refusals = [await guess(second), await guess(first)];
  assert.deepEqual(refusals.map(({ status }) => status), [429, 429]);
  assert.ok(refusals.every(({ headers }) => Number(headers['retry-after']) > 0));
});
