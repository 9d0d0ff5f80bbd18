import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sign } from 'cookie-signature';
import { appPerSuite } from '../support/app.ts';
import { Browser, loggedInEmailIn } from '../support/browser.ts';
import { sessionCookieName } from '../support/session-cookie.ts';
import { SeededRandom } from 'embedded-mongo/testing'; // the database's deterministic PRNG, which its own fuzz tests use
import { headerSafe, inBatches } from '../support/random.ts';
import { demoUsers } from '../../models/seed.ts';

const seed = 20_261_127;
const caseCount = 2000;
const pages = ['/', '/cart', '/orders', '/admin/products', '/login', '/products', '/lessons', '/instructor'];
const cookieNames = [sessionCookieName, 'visitor', 'instructor', 'student', 'loggedIn', 'userEmail', 'connect.sid', '__Host-sid'];

/** alice's live session cookie as the browser sends it. */
let aliceSid: string;
const shop = appPerSuite({ authMode: 'session' }, async () => {
  const browser = new Browser(shop().url);
  await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
  aliceSid = browser.cookies.get(sessionCookieName)!;
});

/** One hostile Cookie header: the kinds a broken client or an attacker sends. */
function cookieHeader(random: SeededRandom): string {
  const name = random.pick(cookieNames);
  const decoded = decodeURIComponent(aliceSid);
  const kinds: (() => string)[] = [
    () => `${name}=${random.text(random.below(200), headerSafe)}`,
    () => random.text(random.below(300), headerSafe), // not even name=value
    () => `${name}=${random.text(4096 + random.below(4096), 'abcdefghijklmnopqrstuvwxyz0123456789%')}`, // over 4 KB
    () => Array.from({ length: 2 + random.below(40) }, () => `${random.pick(cookieNames)}=${random.text(random.below(30), headerSafe)}`).join('; '),
    () => `${sessionCookieName}=${random.text(random.below(20), '%0123456789ABCDEFGZ')}`, // broken percent-encoding
    () => `${sessionCookieName}=${encodeURIComponent(`s:${sign(randomBytes(24).toString('base64url'), shop().config.sessionSecrets[0]!)}`)}`,
    () => `${sessionCookieName}=${encodeURIComponent(mutate(random, decoded))}`, // tampered copy of a live cookie
    () => `${name}=${encodeURIComponent(random.pick(['j:{"$gt":""}', 'j:{"isLoggedIn":true}', 'j:[1,2', 'j:null', 's:j:{}', 's:', 's:.', `s:${decoded}`]))}`,
    () => `${sessionCookieName}=junk; ${sessionCookieName}=${aliceSid}`, // duplicated: the first one counts
  ];
  return random.pick(kinds)();
}

/** One character changed, removed or added, at a random place: never the same text. */
function mutate(random: SeededRandom, text: string): string {
  const at = random.below(text.length);
  const changed = random.pick([
    () => text.slice(0, at) + (text[at] === 'x' ? 'y' : 'x') + text.slice(at + 1),
    () => text.slice(0, at) + text.slice(at + 1),
    () => text.slice(0, at) + random.text(1, 'ABCxyz019-_+/=.') + text.slice(at),
  ])();
  return changed === text ? `${text}x` : changed;
}

test(`fuzz: ${caseCount} malformed, oversized, duplicated, mis-encoded and tampered Cookie headers get no 5xx and log nobody in`, async () => {
  const random = new SeededRandom(seed);
  const cases = Array.from({ length: caseCount }, () => ({ cookie: cookieHeader(random), page: random.pick(pages) }));
  const statuses = new Map<number, number>();
  const client = new Browser(shop().url);
  await inBatches(cases, 8, async ({ cookie, page }) => {
    const reply = await client.request('GET', page, { headers: { cookie } });
    statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    assert.ok(reply.status < 500, `${reply.status} for Cookie: ${cookie.slice(0, 200)}`);
    // Only a header that starts with alice's own untouched cookie may be alice.
    const allowed = new RegExp(`(^|; )${sessionCookieName}=${aliceSid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(;|$)`).test(cookie) && !cookie.startsWith(`${sessionCookieName}=junk`);
    const shown = loggedInEmailIn(reply.text);
    if (!allowed || shown !== demoUsers.alice.email) assert.equal(shown, undefined, `logged in by Cookie: ${cookie.slice(0, 200)}`);
  });
  console.log(`cookie fuzz: ${caseCount} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.equal((await client.request('GET', '/healthz', { headers: {} })).status, 200, 'the shop still answers');
});
