import type { BrowserContext, Cookie, Page } from '@playwright/test';
import type { AuthModeName, SessionStoreName } from '../config.ts';
import { lessons } from '../teaching/lesson-catalog.ts';
import { expect, test } from '../test/support/app-server.ts';
import { cookieLab, setLabCookie } from '../test/support/cookie-lab.ts';
import { startHttpsShop } from '../test/support/https-shop.ts';
import { enterToken, switchTo } from '../test/support/instructor.ts';
import { screenshotsDir } from '../test/support/screenshots.ts';
import { expectLoggedInAs, expectLoggedOut, logIn as logInTo } from '../test/support/shop-page.ts';
import { PageProblems } from '../test/support/page-problems.ts';
import { demoUsers } from '../models/seed.ts';

/*
 * One student does the whole course in one browser profile, lesson after lesson, exactly as each
 * lesson's text says: the lesson open in one tab, the shop in another, the instructor panel in a
 * third (npm start, with the token it printed), switching the mode live and restarting the server.
 * Every step must turn done on the open lesson page, without a reload; at every switch, restart,
 * login and logout, each open lesson page follows the server (issue 17). Lesson 11 needs production:
 * the student stops npm start and runs npm run start:https on the same port.
 */

const stepShownWithinMs = 5_000;
/** A lesson page polls every 2 s: a switch or a login in another tab shows within a few seconds. */
const liveWithinMs = 5_000;
/** Lesson 8: the shortest idle limit the lesson's form accepts. */
const idleSeconds = 5;
const doneTime = /Done (\d{1,2} \w{3} \d{4}, )?\d\d:\d\d/; // the date only when it is not today

/** The open pages whose mode and login the server may change under them: every lesson page of the shop. */
function lessonTabs(context: BrowserContext): Page[] {
  return context.pages().filter((tab) => /^\/lessons\/./.test(new URL(tab.url()).pathname));
}

function lesson(number: number) {
  const found = lessons.find((candidate) => candidate.number === number);
  if (!found) throw new Error(`No lesson ${number}.`);
  return found;
}

/** Opens a lesson in its own tab, as the student keeps it beside the shop. */
async function openLesson(context: BrowserContext, number: number): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto(`/lessons/${lesson(number).slug}`);
  return tab;
}

async function expectStepPending(lessonTab: Page, step: string) {
  await expect(lessonTab.locator(`[data-step="${step}"] .task__pending`)).toBeVisible();
}

/** The step's feedback appears on the open page by itself, with the time it was done. */
async function expectStepShown(lessonTab: Page, step: string, timeout = stepShownWithinMs) {
  const feedback = lessonTab.locator(`[data-step="${step}"] .task__feedback`);
  await expect(feedback).toBeVisible({ timeout });
  await expect(feedback).toContainText(doneTime);
}

async function finishLesson(lessonTab: Page, number: number) {
  // Like the other specs: each run saves fresh screenshots there; docs/screenshots/ keeps copies.
  await lessonTab.screenshot({ path: `${screenshotsDir}lesson-${number}-${lesson(number).slug}.png`, fullPage: true });
  await lessonTab.close();
}

/** What /api/session says, asked from the page itself (its cookies). */
async function sessionReport(page: Page) {
  return page.evaluate(async () => (await (await fetch('/api/session')).json()) as { authMode: string; sessionStore: string; user: string | null });
}

/**
 * What one open lesson page says about the server, never reloaded, against /api/session asked from it: the badge,
 * the sentence of the mode box that shows, who the navigation shows logged in, and each hint that names a mode or a login.
 */
async function expectShowsServer(tab: Page) {
  const { authMode, sessionStore, user } = await sessionReport(tab);
  expect(await tab.locator('.mode-badge').textContent()).toMatch(new RegExp(`^auth mode: ${authMode} · session store: ${sessionStore}`));
  const box = tab.locator('[data-mode-status]');
  if ((await box.count()) > 0) {
    const needed = await box.getAttribute('data-lesson-mode');
    // Lesson 11 under npm start is never ready: it says to start production instead.
    const needsStart = await box.locator('[data-mode-production]').isVisible();
    expect(await box.locator('[data-mode-ready]').isVisible(), `ready for ${needed} mode, in ${authMode} mode`).toBe(needed === authMode && !needsStart);
    if (await box.locator('[data-mode-wrong]').isVisible()) expect(await box.locator('[data-mode-wrong] [data-server-mode]').textContent()).toBe(authMode);
  }
  expect(await tab.locator('[data-login-state] [data-logged-in-as]').allTextContents()).toEqual(user === null ? [] : [user]);
  for (const hint of await tab.locator('[data-hint]:visible [data-hint-text]').allTextContents()) {
    const loggedInAs = /You are logged in as (\S+?),/.exec(hint)?.[1];
    if (loggedInAs !== undefined) expect(user, hint).toBe(loggedInAs);
    else if (/\bYou are logged in\b/.test(hint)) expect(user, hint).not.toBeNull();
    if (/\bYou are not logged in\b/.test(hint)) expect(user, hint).toBeNull();
    const runningMode = /(?:this server runs in|You are logged in as \S+, in) ([\w-]+) mode/.exec(hint)?.[1];
    if (runningMode !== undefined) expect(authMode, hint).toBe(runningMode);
  }
}

/** Issue 17: every open lesson page follows a switch, a restart, a login or a logout in another tab within a few seconds, without a reload. */
async function expectLessonTabsCurrent(context: BrowserContext) {
  await Promise.all(lessonTabs(context).map((tab) => expect(() => expectShowsServer(tab)).toPass({ timeout: liveWithinMs, intervals: [250] })));
}

/** The instructor panel's switch, in its own tab (the token npm start printed): the server changes mode without a restart. */
async function switchMode(panel: Page, authMode: AuthModeName, sessionStore: SessionStoreName = 'mongodb') {
  await panel.goto('/instructor'); // a fresh form: a login in another tab replaced the token the last one carried
  await switchTo(panel, authMode, sessionStore);
  await expectLessonTabsCurrent(panel.context());
}

/** The panel's Restart, opened from the lesson (?from=), as lesson 6 says: it comes back to the lesson once the new process answers. */
async function restartFromPanel(panel: Page, number: number) {
  const { slug } = lesson(number);
  await panel.goto(`/instructor?from=/lessons/${slug}`);
  await panel.getByRole('button', { name: 'Restart the server' }).click();
  await panel.waitForURL(`**/lessons/${slug}`, { timeout: 30_000 });
  await expectLessonTabsCurrent(panel.context());
}

async function logIn(shop: Page, account: { email: string; password: string }) {
  await logInTo(shop, account);
  await expectLessonTabsCurrent(shop.context());
}

async function sessionCookie(context: BrowserContext): Promise<Cookie> {
  return namedCookie(context, 'sid');
}

async function namedCookie(context: BrowserContext, name: string): Promise<Cookie> {
  const cookie = (await context.cookies()).find((candidate) => candidate.name === name);
  if (!cookie) throw new Error(`The browser holds no ${name} cookie.`);
  return cookie;
}

async function logOut(shop: Page) {
  await shop.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Logout' }).click();
  await expectLoggedOut(shop);
  await expectLessonTabsCurrent(shop.context());
}

/** Lesson 11's login on the https:// or the http:// address npm run start:https printed. */
async function logInAt(page: Page, origin: string, { email, password }: { email: string; password: string }) {
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForLoadState('load');
}

test.use({ appOptions: { authMode: 'cookie', supervised: true }, ignoreHTTPSErrors: true });

test('a student does the whole course in one browser and sees every step turn done on the open lesson page', async ({ context, browser, appServer, baseURL }) => {
  test.setTimeout(600_000);
  // Every page of the profile, the panel's restarts included.
  const problems = PageProblems.ofEveryPage(context);
  let shop = await context.newPage();
  const panel = await context.newPage();
  problems.expect({ url: `${baseURL}/instructor`, status: 403 }); // the page that asks for the token, until it is typed
  await enterToken(panel, '/instructor');

  // Lesson 1, cookie mode: forge the login cookies, reload the shop, look at Bob's orders.
  let lessonTab = await openLesson(context, 1);
  await expectStepPending(lessonTab, 'forged-cookie');
  await context.addCookies([
    { name: 'loggedIn', value: 'true', url: baseURL! },
    { name: 'userEmail', value: demoUsers.bob.email, url: baseURL! },
  ]);
  await shop.goto('/');
  await expectLoggedInAs(shop, demoUsers.bob.email);
  await expectLessonTabsCurrent(context);
  await shop.goto('/orders');
  await expect(shop.getByRole('main')).toContainText('Headphones');
  await expectStepShown(lessonTab, 'forged-cookie');
  // The clean-up step: in cookie mode, logging out deletes the two cookies.
  await logOut(shop);
  await expectStepShown(lessonTab, 'forged-cookies-deleted');
  await finishLesson(lessonTab, 1);

  // Lesson 2, request mode: log in as alice and look at the navigation.
  lessonTab = await openLesson(context, 2);
  await switchMode(panel, 'request');
  await logIn(shop, demoUsers.alice);
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'login-vanished');
  await finishLesson(lessonTab, 2);

  // Lesson 3, global mode: log in here, then open the shop in a private window.
  lessonTab = await openLesson(context, 3);
  await switchMode(panel, 'global');
  await logIn(shop, demoUsers.alice);
  const privateWindow = await browser.newContext({ baseURL });
  const stranger = new PageProblems();
  await stranger.watch(await privateWindow.newPage()).goto('/');
  await expectLoggedInAs(privateWindow.pages()[0]!, demoUsers.alice.email);
  await privateWindow.close();
  expect(stranger.seen).toEqual([]);
  await expectStepShown(lessonTab, 'second-visitor');
  await logOut(shop);
  await finishLesson(lessonTab, 3);

  // Lesson 4, any mode: answer the question.
  lessonTab = await openLesson(context, 4);
  await lessonTab.getByLabel(/same public address/).check();
  await lessonTab.getByRole('button', { name: 'Check my answer' }).click();
  await expectStepShown(lessonTab, 'ip-quiz');
  await finishLesson(lessonTab, 4);

  // Lesson 5, session mode with the MongoDB store: log in, change one character of the sid's signature, reload the shop.
  lessonTab = await openLesson(context, 5);
  await switchMode(panel, 'session', 'mongodb');
  await logIn(shop, demoUsers.alice);
  const sid = await sessionCookie(context);
  await context.addCookies([{ ...sid, value: sid.value.slice(0, -1) + (sid.value.endsWith('A') ? 'B' : 'A') }]);
  await shop.goto('/');
  await expectLoggedOut(shop);
  await expectLessonTabsCurrent(context);
  await expectStepShown(lessonTab, 'tampered-sid');
  await finishLesson(lessonTab, 5);

  // Lesson 6, the panel's Restart with the lesson open: with the MongoDB store, log in, restart, reload the shop;
  // then with the memory store. No request of any open page fails across a restart.
  lessonTab = await openLesson(context, 6);
  await logIn(shop, demoUsers.alice);
  await restartFromPanel(panel, 6);
  await shop.reload();
  await expectLoggedInAs(shop, demoUsers.alice.email);
  await expectStepShown(lessonTab, 'survived-restart');
  await switchMode(panel, 'session', 'memory');
  // The MongoDB login the browser still holds was never in this memory store: nothing lost yet.
  await expectStepPending(lessonTab, 'lost-in-restart');
  await logIn(shop, demoUsers.alice);
  await restartFromPanel(panel, 6);
  await shop.reload();
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'lost-in-restart');
  await finishLesson(lessonTab, 6);

  // Lesson 7, any mode: an HttpOnly cookie, then one with a Max-Age of a few seconds.
  lessonTab = await openLesson(context, 7);
  await setLabCookie(lessonTab, 'hidden', (lab) => lab.getByLabel('HttpOnly').check());
  await expectStepShown(lessonTab, 'httponly-cookie');
  await setLabCookie(lessonTab, 'short', (lab) => lab.getByLabel('Max-Age (seconds)').fill('3'));
  const short = cookieLab(lessonTab).locator('tr[data-cookie-name="lab_short"] [data-sent]');
  await expect(short).toHaveText('Yes: hello');
  // Done when the browser stops sending it, 3 s after it was set; the table checks every 2 s.
  await expect(short).toHaveText('No', { timeout: 10_000 });
  await expectStepShown(lessonTab, 'expired-cookie');
  await finishLesson(lessonTab, 7);

  // Lesson 8, session mode with the MongoDB store: log in, copy the sid, log out, put the old sid back, reload the shop.
  lessonTab = await openLesson(context, 8);
  await switchMode(panel, 'session', 'mongodb');
  await logIn(shop, demoUsers.alice);
  const copied = await sessionCookie(context);
  await logOut(shop);
  await context.addCookies([{ name: 'sid', value: copied.value, url: baseURL! }]);
  await shop.reload();
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'replayed-after-logout');
  // Then: log in, shorten the session's idle limit, leave the shop alone for longer than that.
  await logIn(shop, demoUsers.alice);
  await lessonTab.getByLabel('End my session after this many seconds without a request').fill(String(idleSeconds));
  await lessonTab.getByRole('button', { name: "Shorten my session's idle limit" }).click();
  await expectStepShown(lessonTab, 'idle-expired', (idleSeconds + 1) * 1000 + stepShownWithinMs);
  await finishLesson(lessonTab, 8);

  // Lesson 9, any mode: open the other site (this server under its other local name), press its button.
  lessonTab = await openLesson(context, 9);
  const popup = context.waitForEvent('page');
  await lessonTab.getByRole('link', { name: 'Open the other site' }).click();
  const otherSite = await popup;
  problems.expect({ url: `${baseURL}/cart`, status: 403 }); // the refusal the other site is there to show
  await otherSite.getByRole('button', { name: 'Claim my free mug' }).click();
  await expect(otherSite.getByRole('heading', { name: 'Form expired' })).toBeVisible();
  await otherSite.close();
  await expectStepShown(lessonTab, 'csrf-refused');
  await finishLesson(lessonTab, 9);

  // Lesson 10, cookie-session mode: edit the signed login cookie; replay it after logging out.
  lessonTab = await openLesson(context, 10);
  await switchMode(panel, 'cookie-session');
  await logIn(shop, demoUsers.alice);
  const signed = await namedCookie(context, 'login');
  await context.addCookies([{ ...signed, value: (signed.value.startsWith('e') ? 'f' : 'e') + signed.value.slice(1) }]);
  await shop.goto('/');
  await expectLoggedOut(shop);
  await expectLessonTabsCurrent(context);
  await expectStepShown(lessonTab, 'signed-cookie-forged');
  await logIn(shop, demoUsers.alice);
  const signedCopy = [await namedCookie(context, 'login'), await namedCookie(context, 'login.sig')];
  await logOut(shop);
  await context.addCookies(signedCopy);
  await shop.reload();
  await expectLoggedInAs(shop, demoUsers.alice.email);
  await expectLessonTabsCurrent(context);
  await expectStepShown(lessonTab, 'signed-cookie-replayed');
  await logOut(shop);
  // Then the same replay in session mode, refused.
  await switchMode(panel, 'session', 'mongodb');
  await logIn(shop, demoUsers.alice);
  const sidBeforeLogout = await sessionCookie(context);
  await logOut(shop);
  await context.addCookies([{ name: 'sid', value: sidBeforeLogout.value, url: baseURL! }]);
  await shop.reload();
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'session-replay-refused');
  await finishLesson(lessonTab, 10);

  // Log out and in again: the lesson list still shows every lesson so far done, with its time.
  await logIn(shop, demoUsers.bob);
  await logOut(shop);
  await logIn(shop, demoUsers.alice);
  await shop.goto('/lessons');
  for (const { slug } of lessons.filter(({ needsProduction }) => !needsProduction)) {
    await expect(shop.locator(`[data-lesson="${slug}"] [data-lesson-status]`)).toContainText(doneTime);
  }

  // Lesson 11, read under npm start: no mode makes it ready; the page says how to start production.
  lessonTab = await openLesson(context, 11);
  await expect(lessonTab.locator('[data-mode-production]')).toBeVisible();
  await expect(lessonTab.locator('[data-mode-production]')).toContainText('start it with npm run start:https, and open the https:// address it prints');
  await expect(lessonTab.locator('[data-mode-ready]')).toBeHidden();
  await expectStepPending(lessonTab, 'https-secure-cookie');
  // The student closes the shop's tabs (open lesson pages would poll a stopped server), stops npm start with Ctrl+C,
  // and runs npm run start:https on the same port.
  for (const tab of context.pages()) await tab.close();
  await appServer.stop();
  const production = await startHttpsShop(Number(new URL(baseURL!).port));
  try {
    const account = await production.demoAccount(demoUsers.alice.email);
    shop = await context.newPage();
    // The lesson over HTTPS: the page came with Strict-Transport-Security, and says it.
    lessonTab = await context.newPage();
    const hsts = (await lessonTab.goto(`${production.httpsUrl}/lessons/${lesson(11).slug}`))?.headers()['strict-transport-security'];
    expect(hsts).toBe('max-age=31536000; includeSubDomains');
    await expect(lessonTab.locator('[data-hsts]')).toHaveText(hsts!);
    await expect(lessonTab.locator('[data-mode-ready]')).toBeVisible();
    await expectStepShown(lessonTab, 'hsts-seen');
    // Log in over HTTPS: __Host-sid arrives with Secure.
    await logInAt(shop, production.httpsUrl, account);
    await expectLoggedInAs(shop, demoUsers.alice.email);
    const hostSid = (await context.cookies(production.httpsUrl)).find(({ name }) => name === '__Host-sid');
    expect(hostSid).toMatchObject({ secure: true, path: '/' });
    await expectStepShown(lessonTab, 'https-secure-cookie', 10_000);
    // The shop's own port over plain HTTP. Chromium sends Secure cookies to http://localhost, so log out first, as the step says.
    await shop.goto(`${production.httpUrl}/`);
    await logOut(shop);
    const sidBefore = (await context.cookies(production.httpUrl)).find(({ name }) => name === '__Host-sid')?.value;
    await logInAt(shop, production.httpUrl, account);
    await expectLoggedOut(shop);
    expect((await context.cookies(production.httpUrl)).find(({ name }) => name === '__Host-sid')?.value).toBe(sidBefore);
    await expectStepShown(lessonTab, 'plain-http-no-cookie', 10_000);
    await finishLesson(lessonTab, 11);
    // Production keeps its own progress (its database, the __Host-student cookie): lesson 11 is done there.
    await shop.goto(`${production.httpsUrl}/lessons`);
    await expect(shop.locator(`[data-lesson="${lesson(11).slug}"] [data-lesson-status]`)).toContainText(doneTime);
    await shop.close();
  } finally {
    await production.stop();
  }
  expect(problems.seen).toEqual([]);
});
