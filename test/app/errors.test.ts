import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Config } from '../../config.ts';
import { appPerTest, startShop } from '../support/app.ts';

const start = appPerTest(startShop);

for (const nodeEnv of ['development', 'production'] as const satisfies readonly Config['nodeEnv'][]) {
  test(`when a page does not exist (${nodeEnv}), then a 404 page with the navigation is shown`, async () => {
    const shop = await start({ nodeEnv, isProduction: nodeEnv === 'production' });
    const response = await shop.browser.get('/no-such-page');
    assert.equal(response.status, 404);
    assert.match(response.text, /<h1>Page not found<\/h1>/);
    assert.match(response.text, /<nav class="main-header__nav"/);
  });
}

test('when a form body cannot be read, then a 4xx page explains it instead of a crash', async () => {
  const shop = await start({});
  const response = await shop.browser.request('POST', '/login', {
    body: 'email=a',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=ebcdic' },
  });
  assert.equal(response.status, 415);
  assert.match(response.text, /<h1>Bad request<\/h1>/);
  assert.doesNotMatch(response.text, /at .*\.js:\d+/, 'no stack trace');
});
