import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerSuite, startTestApp } from '../support/app.ts';
import type { Reply } from '../support/browser.ts';
import { demoUsers } from '../../models/seed.ts';

/** The policy's directives by name, e.g. { 'script-src': ["'self'"] }. */
function policyOf(response: Reply): Map<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name !== '')
      .map(([name = '', ...sources]) => [name, sources]),
  );
}

describe('security headers in development', () => {
  const shop = appPerSuite({ authMode: 'session' });

  test('when a page, a stylesheet or a missing page is served, then each carries a CSP with no inline or eval exceptions', async () => {
    for (const path of ['/', '/login', '/css/main.css', '/no-such-page']) {
      const policy = policyOf(await shop().newBrowser().get(path));
      assert.deepEqual(policy.get('script-src'), ["'self'"], path);
      assert.deepEqual(policy.get('script-src-attr'), ["'none'"], path);
      assert.deepEqual(policy.get('style-src'), ["'self'"], path);
      assert.deepEqual(policy.get('default-src'), ["'self'"], path);
      assert.deepEqual(policy.get('object-src'), ["'none'"], path);
      assert.deepEqual(policy.get('base-uri'), ["'none'"], path);
      assert.deepEqual(policy.get('form-action'), ["'self'"], path);
      assert.deepEqual(policy.get('frame-ancestors'), ["'none'"], path);
      assert.equal(policy.has('upgrade-insecure-requests'), false, `${path}: plain HTTP in development`);
    }
  });

  test('when a page is served, then it may not be framed, sniffed or leak its address as a referrer, and sends no HSTS over HTTP', async () => {
    const page = await shop().newBrowser().get('/login');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(page.headers['strict-transport-security'], undefined);
  });

  test('when alice is logged in, then her pages, the account pages included, are never cached', async () => {
    const alice = shop().newBrowser();
    await alice.logIn(demoUsers.alice.email, demoUsers.alice.password);
    for (const path of ['/', '/cart', '/orders', '/account/sessions', '/account/password']) {
      assert.equal((await alice.get(path)).headers['cache-control'], 'no-store', path);
    }
  });

  test('when every page alice can reach is read, then none holds an inline script, inline style or event handler', async () => {
    const alice = shop().newBrowser();
    await alice.logIn(demoUsers.alice.email, demoUsers.alice.password);
    const seen = new Set<string>();
    const queue = ['/', '/login', '/signup', '/account/sessions', '/account/password'];
    for (let path = queue.shift(); path !== undefined && seen.size < 100; path = queue.shift()) {
      if (seen.has(path)) continue;
      seen.add(path);
      const { text } = await (path === '/login' || path === '/signup' ? shop().newBrowser() : alice).get(path);
      assert.doesNotMatch(text, /<script(?![^>]*\ssrc=)[^>]*>/i, `${path}: inline <script>`);
      assert.doesNotMatch(text, /<style[\s>]/i, `${path}: <style> block`);
      assert.doesNotMatch(text, /<[^>]+\sstyle=/i, `${path}: style attribute`);
      assert.doesNotMatch(text, /<[^>]+\son[a-z]+=/i, `${path}: event handler attribute`);
      for (const [, link = ''] of text.matchAll(/<a\s[^>]*href="(\/[^"#?]*)"/g)) queue.push(link);
    }
    assert.ok(seen.size >= 15, `read ${seen.size} pages`);
  });
});

describe('security headers in production', () => {
  test('when production serves a page, then it asks for HTTPS: HSTS for a year and upgrade-insecure-requests', async (t) => {
    const shop = await startTestApp({ nodeEnv: 'production', isProduction: true, sessionSecrets: ['p'.repeat(32)] });
    t.after(() => shop.stop());
    const page = await shop.newBrowser().get('/login');
    assert.equal(page.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.equal(policyOf(page).has('upgrade-insecure-requests'), true);
  });
});
