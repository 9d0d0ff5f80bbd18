import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { CommandStartedEvent } from 'mongodb';
import type { SessionStoreName } from '../../config.ts';
import { MongoSessionStore } from '../../sessions/mongo-store.ts';
import { sessionStores } from '../../sessions/sessions.ts';
import type { SessionStore } from '../../sessions/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { demoUsers } from '../../models/seed.ts';

/*
 * S22: /api/session is open to anonymous visitors and counts everyone's sessions. That count must
 * not read them all, or a few callers slow the shop down for everybody once sessions pile up.
 */

const manySessions = 20_000;
const calls = 20;

interface Report {
  server: { sessionCount?: number };
}

/** `amount` logged-in sessions that live an hour, saved through the store as express-session saves them. */
async function fill(store: SessionStore, amount: number): Promise<void> {
  const set = promisify(store.set.bind(store));
  const expires = new Date(Date.now() + 3_600_000);
  for (let saved = 0; saved < amount; saved += 100) {
    await Promise.all(Array.from({ length: Math.min(100, amount - saved) }, (_, n) =>
      set(randomBytes(24).toString('base64url'), { cookie: { originalMaxAge: 3_600_000, expires }, isLoggedIn: true, userId: `user-${saved + n}`, flash: [] }),
    ));
  }
}

for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`S22 the session count with the ${sessionStore} store`, () => {
    let shop: TestApp;
    let store: SessionStore | undefined;
    /** The commands the MongoDB store sent since the last look (none for the memory store). */
    const commands: CommandStartedEvent[] = [];
    before(async () => {
      shop = await startTestApp({ authMode: 'session', sessionStore }, {
        sessionStore: (uri) => {
          // The driver reports every command the store sends: the database's log, seen from the app.
          store = sessionStores[sessionStore](`${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`);
          if (store instanceof MongoSessionStore) store.client.on('commandStarted', (event) => commands.push(event));
          return store;
        },
      });
    });
    after(() => shop.stop());

    /** Calls /api/session without a cookie `calls` times: the count it reports and the median time. */
    async function askCount(): Promise<{ count: number | undefined; medianMs: number; commandNames: string[] }> {
      commands.length = 0;
      const times: number[] = [];
      let count: number | undefined;
      for (let call = 0; call < calls; call++) {
        const started = performance.now();
        const reply = await new Browser(shop.url).get('/api/session');
        times.push(performance.now() - started);
        count = (JSON.parse(reply.text) as Report).server.sessionCount;
      }
      const commandNames = [...new Set(commands.map(({ commandName, command }) => `${commandName} ${String(command[commandName])}`))];
      return { count, medianMs: times.sort((a, b) => a - b)[Math.floor(calls / 2)]!, commandNames };
    }

    test(`when the store grows from 0 to ${manySessions.toLocaleString('en')} sessions, then /api/session still counts them right without reading any`, async (t) => {
      const empty = await askCount();
      await fill(store!, manySessions);
      const full = await askCount();
      t.diagnostic(`/api/session median: ${empty.medianMs.toFixed(1)} ms with 0 sessions, ${full.medianMs.toFixed(1)} ms with ${manySessions}`);
      assert.deepEqual([empty.count, full.count], [0, manySessions]);
      // The database's own log of what was asked: the size of the collection, never its documents.
      if (sessionStore === 'mongodb') assert.deepEqual(full.commandNames, ['count sessions']);
    });

    test(`when alice lists her sessions among ${manySessions.toLocaleString('en')} others, then she sees her two and the store looks them up by user`, async () => {
      const [first, second] = [new Browser(shop.url), new Browser(shop.url)];
      for (const browser of [first, second]) assert.equal((await browser.logIn(demoUsers.alice.email, demoUsers.alice.password)).location, '/');
      commands.length = 0;
      const page = await first.get('/account/sessions');
      assert.equal([...page.text.matchAll(/<li class="sessions__item/g)].length, 2);
      // Each read of the sessions collection names one session (its _id) or one user (the indexed userId).
      const filters = commands.filter(({ commandName }) => ['find', 'aggregate', 'count'].includes(commandName)).map(({ commandName, command }) => `${commandName} ${Object.keys(command.filter ?? {}).join(' ')}`);
      if (sessionStore === 'mongodb') assert.deepEqual([...new Set(filters)].sort(), ['find _id', 'find userId expires']);
    });
  });
}
