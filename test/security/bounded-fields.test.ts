import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import { maxFieldLength } from '../../middleware/bounded-forms.ts';
import { appPerSuite } from '../support/app.ts';
import { Browser, csrfTokenIn, loggedInEmailIn } from '../support/browser.ts';
import { crawl } from '../support/crawl.ts';
import { routesOf } from '../support/routes.ts';

const hugeLength = 100_000;
const maxLoopDelayMs = 100;

let postPaths: string[];
const shop = appPerSuite({ authMode: 'session' }, async () => {
  postPaths = routesOf(shop().app)
    .filter(({ method }) => method === 'POST')
    .map(({ path }) => path);
});

interface Customer {
  browser: Browser;
  email: string;
  password: string;
}

/** A logged-in customer with the instructor's key: every page, and so every form, is open to it. */
async function customer(): Promise<Customer> {
  const browser = new Browser(shop().url);
  const [email, password] = [`bounded-${randomUUID()}@example.com`, 'bounded-secret'];
  await browser.signUp(email, password);
  await browser.logIn(email, password);
  await browser.submit('/instructor/token', { token: shop().config.instructorToken ?? '' }, '/');
  return { browser, email, password };
}

/** A token for the next form; a route that logged out (or ended every session) has the customer log in again first. */
async function freshToken({ browser, email, password }: Customer): Promise<string> {
  const home = await browser.get('/');
  if (loggedInEmailIn(home.text) !== email) return freshToken({ browser, email, password: (await browser.logIn(email, password), password) });
  return csrfTokenIn(home.text) ?? '';
}

/** Every field name of every form on every page this browser reaches: found, not listed. */
async function formFieldNames(browser: Browser): Promise<string[]> {
  const pages = await crawl(browser, ['/', '/lessons', '/admin/add-product', '/account/password', '/instructor']);
  const names = [...pages.values()].flatMap(({ text }) => [...text.matchAll(/<(?:input|textarea|select)\s[^>]*name="([^"]+)"/g)].map(([, name = '']) => name));
  return [...new Set(names)].filter((name) => name !== '_csrf');
}

/** The signup email that once froze the shop for seconds (its inner space survives trim()), at any length. */
const frozeTheShop = (length: number) => 'a@' + '.'.repeat(length - 4) + ' x';
/**
 * Sent to every field at once, shortest first: a run that ends where a nested repetition must give
 * up (exponential patterns take seconds at this length already), then the longest allowed, shaped
 * against polynomial patterns. A route stops at its first failure: an exponential pattern would
 * never finish on the long ones, and this server runs in the test's own process.
 */
const hostileValues = [`${'a'.repeat(28)}!`, frozeTheShop(maxFieldLength), 'a'.repeat(maxFieldLength), `${'a'.repeat(maxFieldLength - 1)}!`];

test('S26 the form walk finds the fields we know of', async () => {
  const names = await formFieldNames((await customer()).browser);
  for (const name of ['email', 'password', 'title', 'description', 'currentPassword', 'displayName']) assert.ok(names.includes(name), name);
});

/** How long one POST holds the event loop, the least of three tries: a busy machine can stall one, a slow pattern stalls all. */
async function loopHeldMs(visitor: Customer, path: string, fields: Record<string, string>): Promise<{ status: number; heldMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let best = { status: 0, heldMs: Infinity };
  for (let tries = 0; tries < 3 && best.heldMs > maxLoopDelayMs; tries++) {
    const _csrf = await freshToken(visitor);
    delay.reset();
    delay.enable();
    const { status } = await visitor.browser.post(path, { ...fields, _csrf });
    delay.disable();
    if (delay.max / 1e6 < best.heldMs) best = { status, heldMs: delay.max / 1e6 };
  }
  return best;
}

test(`S26 every POST route, each field at ${hugeLength.toLocaleString('en')} characters and all at ${maxFieldLength}, holds the event loop at most ${maxLoopDelayMs} ms and never gets a 5xx`, async () => {
  const visitor = await customer();
  const names = await formFieldNames(visitor.browser);
  const failures: string[] = [];
  for (const path of postPaths) {
    const forms = [
      ...hostileValues.map((value) => Object.fromEntries(names.map((name) => [name, value]))),
      ...names.map((name) => ({ [name]: frozeTheShop(hugeLength) })),
    ];
    for (const fields of forms) {
      const { status, heldMs } = await loopHeldMs(visitor, path, fields);
      const sent = Object.entries(fields).map(([name, value]) => `${name}=<${value.length}>`).slice(0, 3).join('&');
      if (status < 500 && heldMs <= maxLoopDelayMs) continue;
      failures.push(`POST ${path} ${sent}: ${status}, loop held ${heldMs.toFixed(0)} ms`);
      break;
    }
  }
  assert.deepEqual(failures, []);
});

test('S26 a field over the bound is refused with a message that names it, and the next request is served', async () => {
  const browser = new Browser(shop().url);
  const _csrf = await browser.csrfToken('/signup');
  const reply = await browser.post('/signup', { _csrf, email: frozeTheShop(hugeLength), password: 'long-enough', confirmPassword: 'long-enough' });
  assert.equal(reply.status, 413);
  const tooLong = await browser.post('/signup', { _csrf, email: `${'a'.repeat(maxFieldLength)}@example.com`, password: 'long-enough', confirmPassword: 'long-enough' });
  assert.equal(tooLong.status, 413);
  assert.match(tooLong.text, /The field &#34;email&#34; is longer than 1,000 characters\./);
  assert.equal((await browser.get('/')).status, 200);
});
