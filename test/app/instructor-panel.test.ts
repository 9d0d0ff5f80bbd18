import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { demoUsers } from '../../models/seed.ts';
import { sessionFingerprint } from '../../sessions/fingerprint.ts';
import { appPerSuite } from '../support/app.ts';
import type { Browser, Reply } from '../support/browser.ts';
import { becomeStudent } from '../support/lessons.ts';

const limit = 2;
const shop = appPerSuite({
  authMode: 'session',
  instructorToken: 'panel-token',
  loginRateLimit: { maxFailuresPerAccount: limit, maxFailuresPerAccountTotal: 100, maxFailuresPerAddress: 100, windowMs: 15 * 60_000 },
  addressRateLimit: { maxSignups: 100, maxInstructorTokenFailures: limit, maxNewStudents: 200 },
});

let panelBrowser: Promise<Browser> | undefined;

/** One instructor for the suite, let in before any test locks the token out from this address. */
function instructor(): Promise<Browser> {
  panelBrowser ??= (async () => {
    const browser = shop().newBrowser();
    assert.equal((await browser.submit('/instructor/token', { token: 'panel-token' }, '/login')).status, 302);
    return browser;
  })();
  return panelBrowser;
}

/** The text of the panel's Lockouts section, tags removed. */
async function lockoutsOn(panel: Browser): Promise<string> {
  const page = await panel.get('/instructor');
  assert.equal(page.status, 200);
  const section = /<h2 id="lockouts-heading">[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
  return section.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

/** Wrong guesses until the form answers 429. */
async function lockOut(browser: Browser, path: string, fields: Record<string, string>, tokenPage: string): Promise<void> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt <= limit; attempt++) statuses.push((await browser.submit(path, fields, tokenPage)).status);
  assert.equal(statuses.at(-1), 429, `${path}: ${statuses.join(', ')}`);
}

/** The fingerprint of the session a login response set. */
function fingerprintSetBy(login: Reply): string {
  const id = /^sid=s%3A([^.;]+)\./.exec(login.setCookies.find((header) => header.startsWith('sid=')) ?? '')?.[1];
  assert.ok(id, 'the login sets a signed sid cookie');
  return sessionFingerprint(id);
}

// Before the lockouts: they lock alice out from this address.
describe('the instructor panel: the session list', () => {
  test('when two browsers are logged in as alice and one gave the lessons a name, then the panel shows that name beside its session only, and says the list holds live sessions', async () => {
    const panel = await instructor();
    const named = await becomeStudent(shop().newBrowser());
    await named.submit('/lessons/display-name', { displayName: 'Ada Lovelace' }, '/lessons');
    const namedSession = fingerprintSetBy(await named.logIn(demoUsers.alice.email, demoUsers.alice.password));
    const unnamedSession = fingerprintSetBy(await (await becomeStudent(shop().newBrowser())).logIn(demoUsers.alice.email, demoUsers.alice.password));
    const page = (await panel.get('/instructor')).text;
    const rowOf = (fingerprint: string) => (new RegExp(`<tr>\\s*<td><code>${fingerprint}</code>[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.match(rowOf(namedSession), /alice@example\.com Ada Lovelace/);
    assert.match(rowOf(unnamedSession), /alice@example\.com no name given/);
    assert.match(page, /Live sessions in the store/);
    assert.match(page, /Every one listed here still logs its browser in/);
  });
});

describe('the instructor panel: lockouts', () => {
  test('when nobody has guessed wrong, then the panel says nobody is locked out', async () => {
    assert.match(await lockoutsOn(await instructor()), /Nobody is locked out\./);
  });

  test('when a login, a password form and the instructor token are locked out, then the panel names each, by email and address, with when it opens', async () => {
    const panel = await instructor();
    await lockOut(shop().newBrowser(), '/login', { email: demoUsers.alice.email, password: 'a wrong guess' }, '/login');
    const bob = shop().newBrowser();
    assert.equal((await bob.logIn(demoUsers.bob.email, demoUsers.bob.password)).status, 302);
    await lockOut(bob, '/account/sessions/end-others', { currentPassword: 'a wrong guess' }, '/account/sessions');
    await lockOut(shop().newBrowser(), '/instructor/token', { token: 'a wrong guess' }, '/login');
    const text = await lockoutsOn(panel);
    assert.match(text, /login to alice@example\.com from 127\.0\.0\.1 \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(text, /the current password of bob@example\.com/);
    assert.match(text, /the instructor token from 127\.0\.0\.1/);
    assert.doesNotMatch(text, /Nobody is locked out/);
  });

  test('when the instructor lifts a login lockout, then the student can log in again at once and the lockout is gone from the panel', async () => {
    const panel = await instructor();
    const student = shop().newBrowser();
    await lockOut(student, '/login', { email: demoUsers.bob.email, password: 'a wrong guess' }, '/login');
    assert.equal((await student.logIn(demoUsers.bob.email, demoUsers.bob.password)).status, 429, 'locked out with the right password too');
    const page = await panel.get('/instructor');
    const bobKey = /<td>login to bob@example\.com from 127\.0\.0\.1<\/td>[\s\S]*?name="lockout" value="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(bobKey, 'bob\'s lockout has a Lift button');
    const lifted = await panel.submit('/instructor/lockouts/lift', { lockout: bobKey }, '/instructor');
    assert.equal(lifted.headers.location, '/instructor');
    assert.match((await panel.get('/instructor')).text, /Lockout lifted: the next attempt counts from zero\./);
    assert.doesNotMatch(await lockoutsOn(panel), /login to bob@example\.com/);
    assert.equal((await student.logIn(demoUsers.bob.email, demoUsers.bob.password)).status, 302);
  });

  test('when a key that is not a lockout is posted, or a visitor without the token posts one, then nothing is lifted', async () => {
    const panel = await instructor();
    await panel.submit('/instructor/lockouts/lift', { lockout: 'login:address:127.0.0.1' }, '/instructor');
    assert.match((await panel.get('/instructor')).text, /That lockout is not in force \(any more\)\./);
    const stranger = shop().newBrowser();
    const refused = await stranger.submit('/instructor/lockouts/lift', { lockout: 'instructor-token:127.0.0.1' }, '/login');
    assert.equal(refused.status, 403);
    assert.match(await lockoutsOn(panel), /the instructor token from 127\.0\.0\.1/);
  });
});

describe('the instructor panel: the switch note', () => {
  test('when the instructor switches the store, then the note shows on the panel the switch leads to, and not on later pages', async () => {
    const panel = await instructor();
    const switched = await panel.submit('/instructor/settings', { authMode: 'session', sessionStore: 'memory' }, '/instructor');
    assert.equal(switched.headers.location, '/instructor');
    assert.match((await panel.get('/instructor')).text, /Switched from session\/mongodb to session\/memory at/);
    await panel.submit('/instructor/sessions/end-all', {}, '/instructor');
    const after = (await panel.get('/instructor')).text;
    assert.match(after, /Ended \d+ sessions?\./);
    assert.doesNotMatch(after, /Switched from/);
    await panel.submit('/instructor/settings', { authMode: 'session', sessionStore: 'mongodb' }, '/instructor');
  });
});
