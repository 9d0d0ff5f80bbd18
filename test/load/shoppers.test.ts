import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { csrfTokenIn, loggedInEmailIn } from '../support/browser.ts';
import { freePort } from '../support/child-process.ts';
import { startShopProcess, startStandaloneDatabase, type RunningProcess } from '../support/processes.ts';
import { catalogInDatabase, purchasesInDatabase, sortedEntries, type Quantities } from '../support/purchases.ts';
import { SeededRandom } from 'embedded-mongo/testing'; // the database's deterministic PRNG, which its own fuzz tests use
import { LoadMetrics, MeasuredBrowser } from '../support/measured-browser.ts';

const shopperCount = 200;
// 10 s (was 30): every shopper still orders several times, about 7,000 requests in all. Control: with
// AUTH_MODE=global, where shoppers share one login, the test fails at 10 s as at 30.
const durationMs = 10_000;
const password = 'load-secret-1';

let dataDir: string;
let database: RunningProcess;
let shop: RunningProcess;
let databaseUri: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shop-load-'));
  const databasePort = await freePort();
  database = await startStandaloneDatabase(databasePort, join(dataDir, 'db'));
  databaseUri = `${database.address}shop`;
  shop = await startShopProcess({
    MONGODB_URI: databaseUri,
    DATA_DIR: join(dataDir, 'app'),
    AUTH_MODE: 'session',
    SESSION_STORE: 'mongodb',
    // Real shoppers come from many addresses; on loopback all 200 share one, and the limit counts logins in flight.
    LOGIN_MAX_FAILURES_PER_ADDRESS: String(shopperCount * 5),
  });
});
after(async () => {
  await shop.stop();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** What one shopper did, as the shop acknowledged it; product ids keyed to titles for the pages. */
interface Shopper {
  email: string;
  browser: MeasuredBrowser;
  random: SeededRandom;
  cart: Quantities;
  orders: Quantities[];
  /** Every leak or wrong page this shopper saw. */
  problems: string[];
}

/** The titles and quantities a cart page lists. */
function cartOnPage(html: string, titles: Map<string, string>): Quantities {
  const byTitle = new Map([...titles].map(([id, title]) => [title, id]));
  return new Map(
    [...html.matchAll(/<h2>([^<]+)<\/h2>\s*<p>Quantity: <span class="cart__quantity">(\d+)<\/span>/g)].map(([, title = '', quantity]) => [byTitle.get(title) ?? `unknown title ${title}`, Number(quantity)]),
  );
}

function sameQuantities(a: Quantities, b: Quantities): boolean {
  return JSON.stringify(sortedEntries(a)) === JSON.stringify(sortedEntries(b));
}

/** Checks a page shows this shopper, and no one else, as logged in. */
function check(shopper: Shopper, what: string, html: string): void {
  const shown = loggedInEmailIn(html);
  if (shown !== shopper.email) shopper.problems.push(`${what} showed ${shown ?? 'nobody'} as logged in`);
  for (const [other] of html.matchAll(/load-\d+-[0-9a-f-]+@example\.com/g)) if (other !== shopper.email) shopper.problems.push(`${what} showed ${other}`);
}

/** Log in, fill the cart, check it, order, check the orders, log out; again until `deadline`. */
async function shopRepeatedly(shopper: Shopper, productIds: readonly string[], titles: Map<string, string>, deadline: number): Promise<void> {
  const { browser, random } = shopper;
  while (Date.now() < deadline) {
    await browser.logIn(shopper.email, password);
    for (let item = 1 + random.below(3); item > 0; item -= 1) {
      const home = await browser.get('/');
      const productId = random.pick(productIds);
      const added = await browser.post('/cart', { productId, _csrf: csrfTokenIn(home.text) ?? '' });
      if (added.location === '/cart') shopper.cart.set(productId, (shopper.cart.get(productId) ?? 0) + 1);
      else shopper.problems.push(`adding to the cart answered ${added.status}`);
    }
    const cart = await browser.get('/cart');
    check(shopper, 'the cart page', cart.text);
    if (!sameQuantities(cartOnPage(cart.text, titles), shopper.cart)) shopper.problems.push('the cart page shows another cart');
    const ordered = await browser.post('/create-order', { _csrf: csrfTokenIn(cart.text) ?? '' });
    if (ordered.location === '/orders') {
      shopper.orders.push(shopper.cart);
      shopper.cart = new Map();
    } else shopper.problems.push(`ordering answered ${ordered.status}`);
    const orders = await browser.get('/orders');
    check(shopper, 'the orders page', orders.text);
    const shownOrders = orders.text.match(/class="orders__item"/g)?.length ?? 0;
    if (shownOrders !== shopper.orders.length) shopper.problems.push(`the orders page shows ${shownOrders} orders, not ${shopper.orders.length}`);
    await browser.post('/logout', { _csrf: csrfTokenIn(orders.text) ?? '' });
  }
}

test(`load: ${shopperCount} shoppers for ${durationMs / 1000} s with the MongoDB store: no 5xx, no shopper sees another's data, every order is in the database`, async () => {
  const metrics = new LoadMetrics();
  const titles = await catalogInDatabase(databaseUri);
  const productIds = [...titles.keys()];
  assert.ok(productIds.length >= 6, `the catalog lists ${productIds.length} products`);

  const shoppers: Shopper[] = Array.from({ length: shopperCount }, (_, index) => ({
    email: `load-${index}-${randomUUID()}@example.com`,
    browser: new MeasuredBrowser(shop.address, metrics),
    random: new SeededRandom(index + 1),
    cart: new Map(),
    orders: [],
    problems: [],
  }));
  const started = Date.now();
  await Promise.all(
    shoppers.map(async (shopper) => {
      await shopper.browser.signUp(shopper.email, password);
      await shopRepeatedly(shopper, productIds, titles, started + durationMs);
    }),
  );
  const elapsedMs = Date.now() - started;
  const summary = metrics.summary(elapsedMs);
  console.log(`load: ${shopperCount} shoppers, ${(elapsedMs / 1000).toFixed(1)} s: ${summary.requests} requests, ${summary.perSecond} req/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, ${summary.serverErrors} 5xx, ${summary.failures} failed connections; statuses ${JSON.stringify(summary.statuses)}`);

  assert.equal(summary.serverErrors, 0, '5xx answers');
  assert.equal(summary.failures, 0, 'requests without an answer');
  assert.deepEqual(shoppers.flatMap(({ email, problems }) => problems.map((problem) => `${email}: ${problem}`)), []);
  const stored = await purchasesInDatabase(databaseUri, shoppers.map(({ email }) => email));
  for (const shopper of shoppers) {
    const purchases = stored.get(shopper.email);
    assert.ok(purchases, shopper.email);
    const asText = (orders: Quantities[]) => orders.map((order) => JSON.stringify(sortedEntries(order))).sort();
    assert.deepEqual(asText(purchases.orders), asText(shopper.orders), `${shopper.email}: the orders in the database`);
    assert.ok(sameQuantities(purchases.cart, shopper.cart), `${shopper.email}: the cart in the database`);
  }
  assert.ok(shoppers.every(({ orders }) => orders.length > 0), 'every shopper got to order');
});
