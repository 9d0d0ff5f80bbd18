import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { Browser, loggedInEmailIn, type Reply } from '../support/browser.ts';
import { waitUntil } from 'embedded-mongo/testing';
import { freePort } from '../support/child-process.ts';
import { embeddedMongoUri } from 'embedded-mongo';
import { startShopProcess, startStandaloneDatabase, type RunningProcess } from '../support/processes.ts';
import { demoUsers } from '../../models/seed.ts';

let dataDir: string;
let databasePort: number;
let started: RunningProcess[];
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shop-faults-'));
  databasePort = await freePort();
  started = [];
});
afterEach(async () => {
  for (const process of started.reverse()) await process.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function startDatabase(): Promise<RunningProcess> {
  const database = await startStandaloneDatabase(databasePort, join(dataDir, 'db'));
  started.push(database);
  return database;
}

async function startShop(): Promise<RunningProcess> {
  const shop = await startShopProcess({
    MONGODB_URI: `${await embeddedMongoUri(join(dataDir, 'db'), databasePort)}shop`,
    DATA_DIR: join(dataDir, 'app'),
    // Development shows a stack trace under a 500; an outage is no bug and must show none.
    NODE_ENV: 'development',
    AUTH_MODE: 'session',
    SESSION_STORE: 'mongodb',
  });
  started.push(shop);
  return shop;
}

async function databaseIs(shop: RunningProcess, state: 'up' | 'down'): Promise<boolean> {
  const health = await new Browser(shop.address).get('/healthz');
  return (JSON.parse(health.text) as { database: string }).database === state;
}

/**
 * A page shown while the database is away: a clear 503 that says what happened, that nothing was lost
 * and to try again shortly, with no stack trace; it names no one and shows nothing private.
 */
function assertUnavailablePage(reply: Reply, page: string, privateTexts: readonly string[] = []) {
  assert.equal(reply.status, 503, `${page} answers ${reply.status}`);
  assert.match(reply.text, /<title>(Shop|Sessions) unavailable<\/title>/, page);
  assert.match(reply.text, /cannot reach its database/, `${page} says what happened`);
  assert.match(reply.text, /Nothing is lost/, `${page} says nothing was lost`);
  assert.match(reply.text, /Try again in a minute/, `${page} says when to try again`);
  assert.doesNotMatch(reply.text, /\bat \S+ \(|error-details/, `${page} shows no stack trace`);
  assert.equal(loggedInEmailIn(reply.text), undefined, `${page} shows nobody as logged in`);
  for (const text of [demoUsers.alice.email, ...privateTexts]) assert.ok(!reply.text.includes(text), `${page} shows ${text}`);
}

test('S18 database down at start: the shop starts, /healthz says the database is down, pages answer 503, and it works once the database is back', async () => {
  const shop = await startShop();
  const health = await new Browser(shop.address).get('/healthz');
  assert.equal(health.status, 503);
  assert.equal((JSON.parse(health.text) as { database: string }).database, 'down');

  const visitor = new Browser(shop.address);
  for (const page of ['/', '/cart', '/login']) assertUnavailablePage(await visitor.get(page), page);
  const login = await visitor.post('/login', { ...demoUsers.alice, _csrf: 'no token could be had' });
  assert.ok([403, 503].includes(login.status), `a login attempt answers ${login.status}`);
  assert.equal(login.location, undefined, 'no login redirect');

  await startDatabase();
  await waitUntil('the shop reconnects by itself', () => databaseIs(shop, 'up'));
  const browser = new Browser(shop.address);
  await waitUntil('alice can log in (the empty database was seeded)', async () => {
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    return (await browser.whoIsLoggedIn()) === demoUsers.alice.email;
  });
  assert.equal((await browser.get('/cart')).status, 200);
  assert.ok(!shop.exited(), 'the shop never stopped');
  assert.deepEqual(outageLog(shop), { unreachable: 1, reachableAgain: 1, errorsAndStacks: [] }, 'one line when it was found down, one when it came');
});

test('an outage is logged once when it begins and once when it ends, however many requests meet it, with no error or stack trace', async () => {
  const database = await startDatabase();
  const shop = await startShop();
  const alicesBrowser = new Browser(shop.address);
  await alicesBrowser.logIn(demoUsers.alice.email, demoUsers.alice.password);
  const student = new Browser(shop.address);
  assert.equal((await student.get('/lessons/sessions')).status, 200);

  await database.stop();
  await waitUntil('/healthz notices', () => databaseIs(shop, 'down'));
  const pages = ['/', '/products', '/cart', '/orders', '/lessons', '/lessons/sessions', '/account/sessions'];
  for (let round = 0; round < 3; round += 1) {
    await Promise.all([
      ...pages.map(async (page) => assertUnavailablePage(await alicesBrowser.get(page), `alice's ${page}`)),
      ...pages.map(async (page) => assertUnavailablePage(await new Browser(shop.address).get(page), `a stranger's ${page}`)),
      // The lesson page's own poll, as its script asks.
      student.get('/api/lessons/progress', { accept: 'application/json' }).then((reply) => assert.equal(reply.status, 503)),
    ]);
  }
  assert.deepEqual(outageLog(shop), { unreachable: 1, reachableAgain: 0, errorsAndStacks: [] }, `${pages.length * 6 + 3} requests in the outage`);

  await startDatabase();
  await waitUntil('the shop reconnects by itself', () => databaseIs(shop, 'up'));
  await waitUntil('alice is still logged in', async () => (await alicesBrowser.whoIsLoggedIn()) === demoUsers.alice.email);
  for (const page of pages) assert.equal((await alicesBrowser.get(page)).status, 200, `alice's ${page} once the database is back`);
  assert.deepEqual(outageLog(shop), { unreachable: 1, reachableAgain: 1, errorsAndStacks: [] });
});

/** What the shop logged about the database: lines saying it is out of reach, lines saying it is back, and any error or stack trace. */
function outageLog(shop: RunningProcess) {
  const lines = shop.output().split('\n');
  return {
    unreachable: lines.filter((line) => line.includes('Database unreachable')).length,
    reachableAgain: lines.filter((line) => line.includes('Database reachable again')).length,
    errorsAndStacks: lines.filter((line) => /^\S+ error |^\s+at /.test(line)),
  };
}

test('S18 database lost mid-run: pages answer 503 without private data, the shop survives, and after the restart alice is still logged in with her cart', async () => {
  const database = await startDatabase();
  const shop = await startShop();
  const browser = new Browser(shop.address);
  await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
  const productId = /\/products\/([0-9a-f]{24})/.exec((await browser.get('/products')).text)?.[1];
  assert.ok(productId);
  assert.equal((await browser.submit('/cart', { productId }, '/')).location, '/cart');
  const cartBefore = (await browser.get('/cart')).text;
  const inCart = /<h2>([^<]+)<\/h2>/.exec(cartBefore.slice(cartBefore.indexOf('cart__item')))?.[1];
  assert.ok(inCart, 'the cart shows the product');

  await database.stop();
  for (const page of ['/cart', '/orders']) assertUnavailablePage(await browser.get(page), `alice's ${page}`, [inCart]);
  assertUnavailablePage(await new Browser(shop.address).get('/products'), 'a stranger\'s /products');
  await waitUntil('/healthz notices', () => databaseIs(shop, 'down'));
  assert.ok(!shop.exited(), 'the shop survives the outage');

  await startDatabase();
  await waitUntil('the shop reconnects by itself', () => databaseIs(shop, 'up'));
  await waitUntil('alice is still logged in', async () => (await browser.whoIsLoggedIn()) === demoUsers.alice.email);
  const cartAfter = await browser.get('/cart');
  assert.equal(cartAfter.status, 200);
  assert.equal(productLines(cartAfter.text), productLines(cartBefore), 'the same cart');
});

/** The product lines of a cart page. */
function productLines(html: string): string {
  return [...html.matchAll(/<li class="cart__item">[\s\S]*?<\/li>/g)].map(([line]) => line.replace(/\s+/g, ' ')).join('\n');
}
