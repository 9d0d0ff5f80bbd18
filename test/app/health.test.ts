import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPerTest, startShop } from '../support/app.ts';

const start = appPerTest(startShop);

test('when the database is up, then /healthz reports ok with the auth mode and session store', async () => {
  const shop = await start({ authMode: 'session', sessionStore: 'mongodb' });
  const response = await shop.browser.get('/healthz');
  assert.equal(response.status, 200);
  const { bootId, ...rest } = response.json<{ bootId: unknown }>();
  assert.deepEqual(rest, { status: 'ok', database: 'up', authMode: 'session', store: 'mongodb' });
  assert.match(String(bootId), /^[0-9a-f-]{36}$/, 'names the process, so a page waiting for a restart sees a new one come');
  assert.deepEqual(response.setCookies, [], 'a health probe does not create a session');
});

test('when a mode keeps no session, then /healthz reports the store as none', async () => {
  const shop = await start({ authMode: 'cookie' });
  const response = await shop.browser.get('/healthz');
  const { bootId, ...rest } = response.json<{ bootId: unknown }>();
  assert.deepEqual(rest, { status: 'ok', database: 'up', authMode: 'cookie', store: 'none' });
  assert.equal(typeof bootId, 'string');
});
