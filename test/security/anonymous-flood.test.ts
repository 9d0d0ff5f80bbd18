import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { SessionStoreName } from '../../config.ts';
import { maxSessionsPerUser } from '../../sessions/active-sessions.ts';
import { sessionStores } from '../../sessions/sessions.ts';
import { lessons } from '../../teaching/lesson-catalog.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { productIdOf } from '../support/shop.ts';
import { Browser } from '../support/browser.ts';
import { routesOf } from '../support/routes.ts';
import { sessionCookieName } from '../support/session-cookie.ts';

/*
 * S21: anyone can send cookieless requests without end. A page that only renders a form (or sends
 * the visitor to one) must store nothing, or a single client could fill the session store.
 */

/*
 * Enough visits that the lesson pages pass the new-students cap (STUDENTS_MAX_PER_ADDRESS, 200): a page
 * that stored a session only when it refuses is caught too. Measured with a temporary patch that stores
 * one on each refusal: 280 sessions at 32 visits per page, 40 at 16; switching saveUninitialized on,
 * 992 at 32. It was 200 visits per page (30 s of CPU; 6.5 s now).
 */
const visitsPerPage = 32;
const parallel = 16;

/** Every GET page of the app, route parameters filled in with real values. */
async function everyPage(shop: TestApp): Promise<string[]> {
  const productId = await productIdOf('A Great Book');
  return routesOf(shop.app)
    .filter(({ method }) => method === 'GET')
    .flatMap(({ path }) => (path === '/lessons/:slug' ? lessons.map(({ slug }) => `/lessons/${slug}`) : [path.replace(':productId', productId)]));
}

for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`S21 anonymous visitors with the ${sessionStore} store`, () => {
    let shop: TestApp;
    let store: ReturnType<(typeof sessionStores)[SessionStoreName]> | undefined;
    before(async () => {
      shop = await startTestApp({ authMode: 'session', sessionStore }, { sessionStore: (uri) => (store = sessionStores[sessionStore](uri)) });
    });
    after(() => shop.stop());

    const storedSessions = async () => Object.keys((await promisify(store!.all.bind(store))()) ?? {}).length;

    test(`when every page is requested ${visitsPerPage} times without a cookie, then the store holds no more sessions than before and no visitor gets a session cookie`, async () => {
      const pages = await everyPage(shop);
      assert.ok(pages.includes('/login') && pages.includes('/instructor/') && pages.includes('/account/sessions'), pages.join(' '));
      const before = await storedSessions();
      const sessionCookies = new Set<string>();
      let refusals = 0;
      for (const page of pages) {
        const visit = async () => {
          const reply = await new Browser(shop.url).get(page);
          if (reply.status === 429) refusals++;
          if (reply.setCookies.some((header) => header.startsWith(`${sessionCookieName}=`))) sessionCookies.add(page);
        };
        for (let sent = 0; sent < visitsPerPage; sent += parallel) await Promise.all(Array.from({ length: parallel }, visit));
      }
      assert.deepEqual({ pagesSettingASessionCookie: [...sessionCookies], sessionsAdded: (await storedSessions()) - before }, { pagesSettingASessionCookie: [], sessionsAdded: 0 });
      assert.ok(refusals > 0, 'the flood passed the new-students cap, so refused visits were counted too');
    });

    test(`when one client logs in ${3 * maxSessionsPerUser} times without keeping its cookies, then the store keeps ${maxSessionsPerUser} sessions of that account, the newest ones`, async () => {
      const account = { email: `flood-${randomUUID()}@example.com`, password: 'flood-secret' };
      assert.equal((await new Browser(shop.url).signUp(account.email, account.password)).location, '/login');
      const before = await storedSessions();
      const logins: Browser[] = [];
      for (let login = 0; login < 3 * maxSessionsPerUser; login++) {
        const browser = new Browser(shop.url);
        assert.equal((await browser.logIn(account.email, account.password)).location, '/');
        logins.push(browser);
      }
      const listed = (await logins.at(-1)!.get('/account/sessions')).text.match(/<li class="sessions__item/g) ?? [];
      assert.deepEqual(
        { stored: (await storedSessions()) - before, listed: listed.length, newest: await logins.at(-1)!.whoIsLoggedIn(), first: await logins[0]!.whoIsLoggedIn() },
        { stored: maxSessionsPerUser, listed: maxSessionsPerUser, newest: account.email, first: undefined },
      );
    });
  });
}
