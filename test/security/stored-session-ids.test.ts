import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { MongoClient } from 'mongodb';
import type { SessionStoreName } from '../../config.ts';
import { sessionFingerprint, storedSessionFingerprint } from '../../sessions/fingerprint.ts';
import { sessionStores } from '../../sessions/sessions.ts';
import type { SessionStore } from '../../sessions/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { sessionCookieName, sessionIdOf, signedSessionCookie } from '../support/session-cookie.ts';
import { demoUsers } from '../../models/seed.ts';

/*
 * S27 (the sessions half): the store keys each session by a hash of its id, so a copy of the
 * store (a backup, a dump, a student's listing) holds no cookie that logs anyone in, not even for
 * someone who also has the secret that signs the cookies.
 */

const users = [
  { ...demoUsers.alice },
  { ...demoUsers.bob },
];

/** Everything the store holds, keys and records, as a thief with a copy of it would see it. */
type Dump = { keys: string[]; text: string };

const dumps: Record<SessionStoreName, (shop: TestApp, store: SessionStore) => Promise<Dump>> = {
  // What this process holds; a heap snapshot holds the same.
  memory: async (_shop, store) => {
    const all = (await promisify(store.all!.bind(store))()) as Record<string, unknown>;
    return { keys: Object.keys(all), text: JSON.stringify(all) };
  },
  // The collection through the real driver, behind the app's back, as mongodump reads it.
  mongodb: async (shop) => {
    const client = await new MongoClient(shop.config.mongodbUri!, { serverSelectionTimeoutMS: 5000 }).connect();
    try {
      const documents = await client.db().collection<{ _id: string }>('sessions').find().toArray();
      return { keys: documents.map(({ _id }) => _id), text: JSON.stringify(documents) };
    } finally {
      await client.close();
    }
  },
};

for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`S27 stored session ids with the ${sessionStore} store`, () => {
    let shop: TestApp;
    let store: SessionStore | undefined;
    before(async () => {
      shop = await startTestApp({ authMode: 'session', sessionStore }, { sessionStore: (uri) => (store = sessionStores[sessionStore](uri)) });
    });
    after(() => shop.stop());

    /** The email the shop shows as logged in for a browser that sends exactly this sid cookie. */
    const whoSends = async (cookieValue: string) => {
      const browser = new Browser(shop.url);
      browser.cookies.set(sessionCookieName, cookieValue);
      const report = JSON.parse((await browser.get('/api/session')).text) as { user: string | null };
      const orders = await browser.get('/orders');
      return { user: report.user, orders: orders.status === 200 ? 'open' : orders.location };
    };

    test('when two users are logged in and the sessions are dumped, then no stored key nor anything else in the dump logs anyone in, raw or signed with the secret', async () => {
      const cookies: string[] = [];
      for (const { email, password } of users) {
        const browser = new Browser(shop.url);
        assert.equal((await browser.logIn(email, password)).location, '/', `${email} logs in`);
        cookies.push(browser.cookies.get(sessionCookieName)!);
      }
      const ids = cookies.map(sessionIdOf);

      const dump = await dumps[sessionStore](shop, store!);
      assert.equal(dump.keys.length, users.length, 'one stored session per login');

      const replays: string[] = [];
      for (const key of dump.keys) {
        const forged = { raw: key, ...Object.fromEntries(shop.config.sessionSecrets.map((secret, n) => [`signed with secret ${n + 1}`, signedSessionCookie(key, secret)])) };
        for (const [how, cookie] of Object.entries(forged)) {
          const seen = await whoSends(cookie);
          if (seen.user !== null || seen.orders !== '/login') replays.push(`${storedSessionFingerprint(key)} ${how}: ${JSON.stringify(seen)}`);
        }
      }
      assert.deepEqual(replays, [], 'every replayed stored key is anonymous');
      for (const id of ids) assert.ok(!dump.text.includes(id), 'no session id anywhere in the dump');
      assert.deepEqual(
        dump.keys.map(storedSessionFingerprint).sort(),
        ids.map(sessionFingerprint).sort(),
        'each stored key has the fingerprint the inspector and the lists show for its cookie',
      );

      for (const [n, cookie] of cookies.entries()) {
        assert.deepEqual(await whoSends(cookie), { user: users[n]!.email, orders: 'open' }, 'the real cookie still logs in');
      }
    });
  });
}
