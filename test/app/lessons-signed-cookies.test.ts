import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp, type TestApp } from '../support/app.ts';
import { becomeStudent, completedSteps, logOut, stepHint } from '../support/lessons.ts';

const start = appPerTest(startTestApp);
const instructorToken = 'signed-cookies-instructor-token';
const lessonPage = '/lessons/signed-cookies';

/** A student logged in in cookie-session mode, and the two cookies of that login. */
async function loggedInStudent(shop: TestApp) {
  await becomeStudent(shop.browser);
  await shop.browser.logIn('alice@example.com', 'alice-secret');
  const [login, sig] = [shop.browser.cookies.get('login'), shop.browser.cookies.get('login.sig')];
  assert.ok(login && sig, 'the login sets login and login.sig');
  assert.deepEqual(await completedSteps(shop.browser), [], 'a login alone completes no task');
  return { login, sig };
}

/** The flash message the next page shows. */
async function flashOf(shop: TestApp): Promise<string | undefined> {
  return /<p class="flash flash--\w+"[^>]*>([^<]*)</.exec((await shop.browser.get(lessonPage)).text)?.[1];
}

function storeNote(shop: TestApp, length: number) {
  return shop.browser.submit(`${lessonPage}/note`, { length: String(length) }, lessonPage);
}

describe("lesson 10: signed cookies, can't forge, can't revoke", () => {
  test('when the lesson list is opened, then lesson 10 is the signed-cookie lesson, before lesson 11 and its recap', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const page = await shop.browser.get(lessonPage);
    assert.equal(page.status, 200);
    assert.match(page.text, /Lesson 10 of 11/);
    assert.match(page.text, /Signed cookies: can&#39;t forge, can&#39;t revoke/);
    assert.match(page.text, /This server runs in <strong>cookie-session<\/strong> mode/);
    assert.doesNotMatch(page.text, /id="recap-heading"/);
    assert.match(page.text, /href="\/lessons\/https-in-production">HTTPS in production →/);
    assert.match(page.text, /Signed is not encrypted\./);
  });

  test('when a student edits the value of the login cookie, then they are a stranger and the forging step is done', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const { login } = await loggedInStudent(shop);
    assert.match((await stepHint(shop.browser, 'signed-cookie-forged')) ?? '', /change a character of its value/);
    shop.browser.cookies.set('login', `${login.startsWith('e') ? 'f' : 'e'}${login.slice(1)}`);
    assert.equal(await shop.browser.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(shop.browser), ['signed-cookie-forged']);
    // The refused cookie logged nobody in: the next step's hint must not say they are.
    assert.match((await stepHint(shop.browser, 'signed-cookie-replayed')) ?? '', /^You are not logged in .*: log in, copy the values of login and login\.sig, then log out\.$/);
  });

  test('when a student edits only login.sig, then that is a forgery refused too', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const { sig } = await loggedInStudent(shop);
    shop.browser.cookies.set('login.sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    assert.equal(await shop.browser.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(shop.browser), ['signed-cookie-forged']);
  });

  test('when a student puts back the cookies of a login they logged out of, then they are logged in again and the replay step is done', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const copy = await loggedInStudent(shop);
    assert.match((await stepHint(shop.browser, 'signed-cookie-replayed')) ?? '', /copy the values of login and login\.sig, then log out/);
    await logOut(shop.browser);
    assert.equal(await shop.browser.whoIsLoggedIn(), undefined);
    assert.match((await stepHint(shop.browser, 'signed-cookie-replayed')) ?? '', /put both back/);
    shop.browser.cookies.set('login', copy.login);
    shop.browser.cookies.set('login.sig', copy.sig);
    assert.equal(await shop.browser.whoIsLoggedIn(), 'alice@example.com');
    assert.deepEqual(await completedSteps(shop.browser), ['signed-cookie-replayed']);
  });

  test('when a student logs in again instead of replaying, then the replay step is not done', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    await loggedInStudent(shop);
    await logOut(shop.browser);
    await shop.browser.logIn('alice@example.com', 'alice-secret');
    assert.equal(await shop.browser.whoIsLoggedIn(), 'alice@example.com');
    assert.deepEqual(await completedSteps(shop.browser), []);
  });

  test('when the student then replays a sid in session mode, then it is refused and the last step is done', async () => {
    const shop = await start({ authMode: 'cookie-session', instructorToken });
    const copy = await loggedInStudent(shop);
    await logOut(shop.browser);
    shop.browser.cookies.set('login', copy.login);
    shop.browser.cookies.set('login.sig', copy.sig);
    assert.equal(await shop.browser.whoIsLoggedIn(), 'alice@example.com');
    await logOut(shop.browser);
    const instructor = shop.newBrowser();
    await instructor.submit('/instructor/token', { token: instructorToken }, '/instructor');
    await instructor.submit('/instructor/settings', { authMode: 'session', sessionStore: 'memory' }, '/instructor');
    await shop.browser.logIn('alice@example.com', 'alice-secret');
    const sid = shop.browser.cookies.get('sid');
    assert.ok(sid);
    await logOut(shop.browser);
    shop.browser.cookies.set('sid', sid);
    assert.equal(await shop.browser.whoIsLoggedIn(), undefined);
    const done = await completedSteps(shop.browser);
    assert.ok(done.includes('session-replay-refused'), done.join(', '));
    assert.ok(done.includes('signed-cookie-replayed'));
  });

  test('when a student refused a sid replay in session mode before replaying the signed cookie, then the last step waits for that replay', async () => {
    const shop = await start({ authMode: 'session' });
    await becomeStudent(shop.browser);
    await shop.browser.logIn('alice@example.com', 'alice-secret');
    const sid = shop.browser.cookies.get('sid');
    assert.ok(sid);
    await logOut(shop.browser);
    shop.browser.cookies.set('sid', sid);
    assert.equal(await shop.browser.whoIsLoggedIn(), undefined);
    assert.deepEqual(await completedSteps(shop.browser), ['replayed-after-logout']);
    assert.match((await stepHint(shop.browser, 'session-replay-refused')) ?? '', /First replay the signed cookie/);
  });

  test('when a student stores a note in the cookie, then the cookie grows by its base64, and past 4096 bytes the shop refuses to send it', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    const { login } = await loggedInStudent(shop);
    const before = `login${login}`.length;
    assert.match((await shop.browser.get(lessonPage)).text, new RegExp(`login</code> cookie of <strong>${before} bytes</strong>`));
    assert.equal((await storeNote(shop, 1500)).status, 302);
    const grown = shop.browser.cookies.get('login') ?? '';
    const bytes = `login${grown}`.length;
    // 1500 characters plus the ',"note":""' around them, in base64: four characters for every three.
    assert.ok(Math.abs(bytes - before - (4 / 3) * (1500 + 10)) <= 4, `${before} → ${bytes} bytes`);
    assert.match((await flashOf(shop)) ?? '', new RegExp(`Your login cookie is now ${bytes} bytes of the 4096 a browser keeps`));
    assert.equal(await shop.browser.whoIsLoggedIn(), 'alice@example.com', 'the re-signed cookie still logs in');
    const refused = await storeNote(shop, 3500);
    assert.ok(!refused.setCookies.some((cookie) => cookie.startsWith('login=')), 'no Set-Cookie the browser would drop');
    assert.match((await flashOf(shop)) ?? '', /Refused: with a note of 3500 characters your login cookie would be \d{4} bytes \(name and value\), past the 4096 a browser keeps/);
    assert.equal(shop.browser.cookies.get('login'), grown, 'the cookie is the one from before');
  });

  test('when a visitor who is not logged in stores a note, then the lesson says to log in first', async () => {
    const shop = await start({ authMode: 'cookie-session' });
    await becomeStudent(shop.browser);
    await storeNote(shop, 100);
    assert.match((await flashOf(shop)) ?? '', /Log in first, with the server in cookie-session mode/);
    assert.equal(shop.browser.cookies.get('login'), undefined);
  });
});
