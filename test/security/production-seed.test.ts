import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startShopProcess, type RunningProcess } from '../faults/support/processes.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';
import { Browser } from '../support/browser.ts';
import { selfSignedCertificate, startTlsProxy, type TlsProxy } from './support/tls.ts';

let database: TestDatabase;
let dataDir: string;
let shop: RunningProcess;
let proxy: TlsProxy;
let ca: string;
before(async () => {
  database = await startTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'shop-production-seed-'));
  shop = await startShopProcess({
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    MONGODB_URI: database.uri('shop'),
    DATA_DIR: dataDir,
    // Seeding is the same in every mode; cookie mode keeps the login simplest.
    AUTH_MODE: 'cookie',
    // Production sends its cookies over HTTPS only: the proxy on this machine terminates TLS.
    TRUST_PROXY: 'loopback',
  });
  const certificate = await selfSignedCertificate();
  ca = certificate.cert;
  proxy = await startTlsProxy(shop.address, certificate);
});
after(async () => {
  await proxy.close();
  await shop.stop();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('S24 production seeds no known password: alice-secret does not log in; the password printed to whoever started the shop does', async () => {
  const printed = /alice@example\.com \/ (\S+)/.exec(shop.output())?.[1];
  assert.ok(printed, `the start prints alice's generated password:\n${shop.output()}`);
  assert.notEqual(printed, 'alice-secret');
  const browser = new Browser(proxy.url, { ca });
  assert.equal((await browser.logIn('alice@example.com', 'alice-secret')).status, 422);
  assert.equal((await browser.logIn('bob@example.com', 'bob-secret')).status, 422);
  assert.equal((await browser.logIn('alice@example.com', printed)).status, 302);
  assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
});
