import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SessionStoreName } from '../../config.ts';
import { storedSessionKey } from '../../sessions/fingerprint.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { sessionCookieName, sessionIdOf, signedSessionCookie } from '../support/session-cookie.ts';
import { storedSessions, type StoredSessions } from '../support/session-store.ts';
import { demoUsers } from '../../models/seed.ts';

for (const sessionStore of ['memory', 'mongodb'] as const satisfies readonly SessionStoreName[]) {
  describe(`session lifecycle with the ${sessionStore} store`, () => {
    let shop: TestApp;
    let stored: StoredSessions | undefined;
    before(async () => {
      shop = await startTestApp({ authMode: 'session', sessionStore });
      if (sessionStore === 'mongodb') stored = await storedSessions(shop.config.mongodbUri!);
    });
    after(async () => {
      await stored?.close();
      await shop.stop();
    });

    /** A browser that sends exactly this session cookie. */
    const browserWith = (cookieValue: string) => {
      const browser = new Browser(shop.url);
      browser.cookies.set(sessionCookieName, cookieValue);
      return browser;
    };

    /**
     * The session behind this cookie is gone from the store: its own CSRF token no longer
     * passes, which it would while the session existed (and the login would then succeed).
     */
    async function assertSessionGone(cookieValue: string, itsCsrfToken: string) {
      const replay = await browserWith(cookieValue).post('/login', { ...demoUsers.alice, _csrf: itsCsrfToken });
      assert.equal(replay.status, 403, 'the old session and its CSRF token no longer exist');
      if (stored) assert.ok(!(await stored.ids()).includes(storedSessionKey(sessionIdOf(cookieValue))), 'the sessions collection no longer holds it');
    }

    test('S1 login: the session id A a browser had is replaced by a new id B, and A is anonymous and gone from the store', async () => {
      const browser = new Browser(shop.url);
      await browser.logIn(demoUsers.bob.email, demoUsers.bob.password); // an anonymous visitor has no session: only a login stores one
      const sidA = browser.cookies.get(sessionCookieName);
      assert.ok(sidA, 'the login gives the browser a session');
      const tokenA = await browser.csrfToken('/login');

      const login = await browser.post('/login', { ...demoUsers.alice, _csrf: tokenA });
      const sidB = browser.cookies.get(sessionCookieName);
      assert.equal(login.location, '/');
      assert.ok(login.setCookies.some((header) => header.startsWith(`${sessionCookieName}=${sidB};`)), 'the login response sets B');
      assert.notEqual(sessionIdOf(sidB!), sessionIdOf(sidA));
      assert.equal(await browser.whoIsLoggedIn(), demoUsers.alice.email);
      if (stored) assert.ok((await stored.ids()).includes(storedSessionKey(sessionIdOf(sidB!))));

      assert.equal(await browserWith(sidA).whoIsLoggedIn(), undefined, 'replaying A is anonymous');
      await assertSessionGone(sidA, tokenA);
    });

    test('S2 fixation: when a random or a correctly signed unknown id is planted before login, then the login gets a new id', async () => {
      const plantedId = randomBytes(24).toString('base64url');
      const planted = [
        { kind: 'unsigned random id', cookie: plantedId },
        { kind: 'signed unknown id', cookie: signedSessionCookie(plantedId, shop.config.sessionSecrets[0]!) },
      ];
      for (const { kind, cookie } of planted) {
        const victim = browserWith(cookie);
        await victim.logIn(demoUsers.alice.email, demoUsers.alice.password);
        const sid = victim.cookies.get(sessionCookieName)!;
        assert.equal(await victim.whoIsLoggedIn(), demoUsers.alice.email, kind);
        assert.notEqual(sessionIdOf(sid), plantedId, kind);
        assert.equal(await browserWith(cookie).whoIsLoggedIn(), undefined, `${kind}: the attacker's copy is anonymous`);
        if (stored) assert.ok(!(await stored.ids()).includes(storedSessionKey(plantedId)), `${kind}: never stored`);
      }
    });

    test('S2 fixation: when an id the server issued to the attacker (logged in as bob) is planted in the victim, then the victim logs in on a new id and the attacker is logged out', async () => {
      const attacker = new Browser(shop.url);
      await attacker.logIn(demoUsers.bob.email, demoUsers.bob.password);
      const attackerToken = await attacker.csrfToken('/login');
      const attackerSid = attacker.cookies.get(sessionCookieName)!;

      const victim = browserWith(attackerSid);
      await victim.logIn(demoUsers.alice.email, demoUsers.alice.password);
      assert.equal(await victim.whoIsLoggedIn(), demoUsers.alice.email);
      assert.notEqual(victim.cookies.get(sessionCookieName), attackerSid);
      assert.equal(await attacker.whoIsLoggedIn(), undefined);
      await assertSessionGone(attackerSid, attackerToken);
    });

    test('S4 logout: the response clears the cookie, a replayed copy is anonymous and the session is gone from the store', async () => {
      const browser = new Browser(shop.url);
      await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
      const sid = browser.cookies.get(sessionCookieName)!;
      const token = await browser.csrfToken('/');
      const countBefore = (await stored?.ids())?.length;

      const logout = await browser.post('/logout', { _csrf: token });
      assert.equal(logout.location, '/');
      assert.ok(
        logout.setCookies.some((header) => /^sid=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT/.test(header)),
        `the cookie is cleared: ${logout.setCookies.join(' | ')}`,
      );
      if (stored) assert.equal((await stored.ids()).length, countBefore! - 1, 'the store holds one session fewer');
      const replay = browserWith(sid);
      assert.equal(await replay.whoIsLoggedIn(), undefined);
      assert.equal((await browserWith(sid).get('/cart')).location, '/login');
      await assertSessionGone(sid, token);
    });
  });
}
