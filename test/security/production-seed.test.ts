import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startShopProcess, type RunningProcess } from '../support/processes.ts';
import { startTestDatabase, type TestDatabase } from '../support/database.ts';
import { Browser } from '../support/browser.ts';
import { selfSignedCertificate, startTlsProxy, type TlsProxy } from '../support/tls.ts';
import { demoUsers } from '../../models/seed.ts';

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

/** The demo passwords production generated: in a file of DATA_DIR that only the starting user may read. */
async function generatedPasswords(): Promise<Map<string, string>> {
  const file = join(dataDir, 'demo-accounts.txt');
  assert.equal((await stat(file)).mode & 0o777, 0o600, 'readable and writable by the starting user only');
  return new Map([...(await readFile(file, 'utf8')).matchAll(/(\S+@example\.com) \/ (\S+)/g)].map(([, email = '', password = '']) => [email, password]));
}

test('S24 production seeds no known password: the demo password the README prints does not log in; the generated password, kept for whoever started the shop, does', async () => {
  const printed = (await generatedPasswords()).get('alice@example.com');
  assert.ok(printed, 'the start keeps alice\'s generated password');
  assert.notEqual(printed, demoUsers.alice.password);
  const browser = new Browser(proxy.url, { ca });
  assert.equal((await browser.logIn(demoUsers.alice.email, demoUsers.alice.password)).status, 422);
  assert.equal((await browser.logIn(demoUsers.bob.email, demoUsers.bob.password)).status, 422);
  assert.equal((await browser.logIn('alice@example.com', printed)).status, 302);
  assert.equal(await browser.whoIsLoggedIn(), 'alice@example.com');
});

test('S33 no line a production start prints carries a demo password; the log says where they are', async () => {
  const passwords = [...(await generatedPasswords()).values()];
  assert.equal(passwords.length, 2);
  for (const line of shop.output().split('\n')) {
    for (const password of passwords) assert.ok(!line.includes(password), line);
  }
  assert.match(shop.output(), /demo-accounts\.txt, readable only by you/);
});
