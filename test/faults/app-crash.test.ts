import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Browser } from '../support/browser.ts';
import { freePort } from '../support/child-process.ts';
import { startShopProcess, startStandaloneDatabase, type RunningProcess } from '../support/processes.ts';
import { purchasesInDatabase, sortedEntries, totalQuantities, type Quantities } from '../support/purchases.ts';

const customers = 20;
const loadBeforeKillMs = 3000;
const loadAfterRestartMs = 3000;

let dataDir: string;
let database: RunningProcess;
let shopEnv: Record<string, string>;
let shop: RunningProcess | undefined;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shop-crash-'));
  const databasePort = await freePort();
  database = await startStandaloneDatabase(databasePort, join(dataDir, 'db'));
  // A fixed port, so the browsers find the restarted shop where they left it.
  shopEnv = {
    PORT: String(await freePort()),
    MONGODB_URI: `${database.address}shop`,
    DATA_DIR: join(dataDir, 'app'),
    AUTH_MODE: 'session',
    SESSION_STORE: 'mongodb',
  };
  shop = await startShopProcess(shopEnv);
});
after(async () => {
  await shop?.stop();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** One customer's record of what the shop acknowledged (a redirect) and what it may or may not have done. */
interface Ledger {
  email: string;
  browser: Browser;
  acknowledgedAdds: Quantities;
  acknowledgedOrders: number;
  attemptedOrders: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function count(quantities: Quantities, productId: string): void {
  quantities.set(productId, (quantities.get(productId) ?? 0) + 1);
}

/** Adds random products and sometimes orders while `load.running`; a failed request proves nothing either way. */
async function keepShopping(ledger: Ledger, productIds: readonly string[], load: { running: boolean }): Promise<void> {
  while (load.running) {
    try {
      if (randomInt(4) === 0) {
        ledger.attemptedOrders += 1;
        if ((await ledger.browser.submit('/create-order', {}, '/cart')).location === '/orders') ledger.acknowledgedOrders += 1;
      } else {
        const productId = productIds[randomInt(productIds.length)]!;
        if ((await ledger.browser.submit('/cart', { productId }, '/')).location === '/cart') count(ledger.acknowledgedAdds, productId);
      }
    } catch {
      await sleep(100); // the shop is down: try again shortly
    }
  }
}

test('app killed with SIGKILL under load (MongoDB store): every acknowledged cart change and order is in the database and everyone is still logged in', async () => {
  const origin = shop!.address;
  const productIds = [...new Set([...(await new Browser(origin).get('/products')).text.matchAll(/\/products\/([0-9a-f]{24})/g)].map(([, id]) => id!))];
  const ledgers: Ledger[] = await Promise.all(
    Array.from({ length: customers }, async () => {
      const email = `crash-${randomUUID()}@example.com`;
      const browser = new Browser(origin, { freshConnections: true });
      await browser.signUp(email, 'crash-secret');
      await browser.logIn(email, 'crash-secret');
      return { email, browser, acknowledgedAdds: new Map(), acknowledgedOrders: 0, attemptedOrders: 0 };
    }),
  );

  const load = { running: true };
  const shopping = Promise.all(ledgers.map((ledger) => keepShopping(ledger, productIds, load)));
  await sleep(loadBeforeKillMs);
  await shop!.kill();
  shop = await startShopProcess(shopEnv);
  await sleep(loadAfterRestartMs);
  load.running = false;
  await shopping;

  for (const { email, browser } of ledgers) assert.equal(await browser.whoIsLoggedIn(), email, `${email} is still logged in`);
  const stored = await purchasesInDatabase(shopEnv.MONGODB_URI!, ledgers.map(({ email }) => email));
  let acknowledged = 0;
  for (const ledger of ledgers) {
    const purchases = stored.get(ledger.email);
    assert.ok(purchases, ledger.email);
    const held = totalQuantities(purchases);
    for (const [productId, quantity] of ledger.acknowledgedAdds) {
      assert.ok((held.get(productId) ?? 0) >= quantity, `${ledger.email}: ${quantity} × ${productId} acknowledged, ${sortedEntries(held).join(' ')} held`);
      acknowledged += quantity;
    }
    assert.ok(purchases.orders.length >= ledger.acknowledgedOrders, `${ledger.email}: ${ledger.acknowledgedOrders} orders acknowledged, ${purchases.orders.length} stored`);
    assert.ok(purchases.orders.length <= ledger.attemptedOrders, `${ledger.email}: more orders than attempts`);
    acknowledged += ledger.acknowledgedOrders;
  }
  assert.ok(acknowledged > customers, `the load did something (${acknowledged} acknowledged changes)`);
  console.log(`crash test: ${acknowledged} acknowledged changes by ${customers} customers, all found after SIGKILL and restart`);
});
