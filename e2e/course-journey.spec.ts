import type { BrowserContext, Cookie, Page } from '@playwright/test';
import { lessons } from '../teaching/lesson-catalog.ts';
import { expect, test, type AppServer } from './support/app-server.ts';
import { cookieLab, setLabCookie } from './support/cookie-lab.ts';
import { screenshotsDir } from './support/screenshots.ts';
import { alice, bob, expectLoggedInAs, expectLoggedOut, logIn } from './support/shop.ts';

/*
 * One student does the whole course in one browser profile, lesson after lesson, exactly as each
 * lesson's text says: the lesson open in one tab, the shop in another, the server restarted in the
 * mode the lesson names (by the fixture, the terminal way each lesson offers beside the instructor panel).
 * Every step must turn done on the open lesson page, without a reload.
 */

const stepShownWithinMs = 5_000;
/** Lesson 8: the shortest idle limit the lesson's form accepts. */
const idleSeconds = 5;
const doneTime = /Done (\d{1,2} \w{3} \d{4}, )?\d\d:\d\d/; // the date only when it is not today

/** Everything that went wrong on any page of the run: console errors, page errors, failed requests. */
const problems: string[] = [];

/** `expected` is the one error a page is there to show (lesson 9's refused form). */
function watch(page: Page, expected?: { url: string; status: number }): Page {
  const isExpected = (url: string, status: number) => expected?.url === url && expected.status === status;
  page.on('console', (message) => {
    const shown = expected && message.text() === `Failed to load resource: the server responded with a status of ${expected.status} (Forbidden)`;
    if (message.type() === 'error' && !shown) problems.push(`${page.url()}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // ERR_ABORTED is the browser itself cancelling what a page still loads (a poll, an image) as the page
    // navigates or closes: nobody sees that. A server that fails answers with a status or drops the
    // connection (ERR_EMPTY_RESPONSE, ERR_CONNECTION_RESET), and those still count.
    const cancelledByBrowser = request.failure()?.errorText === 'net::ERR_ABORTED';
    if (!cancelledByBrowser) problems.push(`${request.url()}: request failed: ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !isExpected(response.url(), response.status())) problems.push(`${response.url()}: ${response.status()}`);
  });
  return page;
}

async function newTab(context: BrowserContext): Promise<Page> {
  return watch(await context.newPage());
}

function lesson(number: number) {
  const found = lessons.find((candidate) => candidate.number === number);
  if (!found) throw new Error(`No lesson ${number}.`);
  return found;
}

/** Opens a lesson in its own tab, as the student keeps it beside the shop. */
async function openLesson(context: BrowserContext, number: number): Promise<Page> {
  const tab = await newTab(context);
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

/** "Stop the server with Ctrl+C and start it again": no lesson tab is left polling a stopped server. */
async function restart(appServer: AppServer, context: BrowserContext, changes?: Parameters<AppServer['restart']>[0]) {
  for (const tab of context.pages()) if (new URL(tab.url()).pathname.startsWith('/lessons')) await tab.close();
  // A student stops the server once the page in front of them has finished loading (images included).
  for (const tab of context.pages()) await tab.waitForLoadState('networkidle');
  await appServer.restart(changes);
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
}

test.use({ appOptions: { authMode: 'cookie' } });

test('a student does the whole course in one browser and sees every step turn done on the open lesson page', async ({ context, browser, appServer, baseURL }) => {
  test.setTimeout(600_000);
  const shop = await newTab(context);

  // Lesson 1, npm run start:cookie: forge the login cookies, reload the shop, look at Bob's orders.
  let lessonTab = await openLesson(context, 1);
  await expectStepPending(lessonTab, 'forged-cookie');
  await context.addCookies([
    { name: 'loggedIn', value: 'true', url: baseURL! },
    { name: 'userEmail', value: bob.email, url: baseURL! },
  ]);
  await shop.goto('/');
  await expectLoggedInAs(shop, bob.email);
  await shop.goto('/orders');
  await expect(shop.getByRole('main')).toContainText('Headphones');
  await expectStepShown(lessonTab, 'forged-cookie');
  // The clean-up step: in cookie mode, logging out deletes the two cookies.
  await logOut(shop);
  await expectStepShown(lessonTab, 'forged-cookies-deleted');
  await finishLesson(lessonTab, 1);

  // Lesson 2, npm run start:request: log in as alice and look at the navigation.
  await restart(appServer, context, { authMode: 'request' });
  lessonTab = await openLesson(context, 2);
  await logIn(shop, alice);
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'login-vanished');
  await finishLesson(lessonTab, 2);

  // Lesson 3, npm run start:global: log in here, then open the shop in a private window.
  await restart(appServer, context, { authMode: 'global' });
  lessonTab = await openLesson(context, 3);
  await logIn(shop, alice);
  const privateWindow = await browser.newContext({ baseURL });
  const stranger = await newTab(privateWindow);
  await stranger.goto('/');
  await expectLoggedInAs(stranger, alice.email);
  await privateWindow.close();
  await expectStepShown(lessonTab, 'second-visitor');
  await logOut(shop);
  await finishLesson(lessonTab, 3);

  // Lesson 4, any mode: answer the question.
  lessonTab = await openLesson(context, 4);
  await lessonTab.getByLabel(/same public address/).check();
  await lessonTab.getByRole('button', { name: 'Check my answer' }).click();
  await expectStepShown(lessonTab, 'ip-quiz');
  await finishLesson(lessonTab, 4);

  // Lesson 5, npm start: log in, change one character of the sid's signature, reload the shop.
  await restart(appServer, context, { authMode: 'session', sessionStore: 'mongodb' });
  lessonTab = await openLesson(context, 5);
  await logIn(shop, alice);
  const sid = await sessionCookie(context);
  await context.addCookies([{ ...sid, value: sid.value.slice(0, -1) + (sid.value.endsWith('A') ? 'B' : 'A') }]);
  await shop.goto('/');
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'tampered-sid');
  await finishLesson(lessonTab, 5);

  // Lesson 6, the terminal way the lesson offers beside the panel (the panel's Restart button has its own
  // spec, e2e/instructor.spec.ts): with npm start, log in, restart, reload the shop; then with the memory store.
  await openLesson(context, 6); // read while logging in; the restart closes it
  await logIn(shop, alice);
  await restart(appServer, context);
  lessonTab = await openLesson(context, 6);
  await shop.reload();
  await expectLoggedInAs(shop, alice.email);
  await expectStepShown(lessonTab, 'survived-restart');
  await restart(appServer, context, { sessionStore: 'memory' });
  lessonTab = await openLesson(context, 6);
  // The MongoDB login the browser still holds was never in this memory store: nothing lost yet.
  await expectStepPending(lessonTab, 'lost-in-restart');
  await logIn(shop, alice);
  await restart(appServer, context);
  lessonTab = await openLesson(context, 6);
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

  // Lesson 8, npm start: log in, copy the sid, log out, put the old sid back, reload the shop.
  await restart(appServer, context, { sessionStore: 'mongodb' });
  lessonTab = await openLesson(context, 8);
  await logIn(shop, alice);
  const copied = await sessionCookie(context);
  await logOut(shop);
  await context.addCookies([{ name: 'sid', value: copied.value, url: baseURL! }]);
  await shop.reload();
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'replayed-after-logout');
  // Then: log in, shorten the session's idle limit, leave the shop alone for longer than that.
  await logIn(shop, alice);
  await lessonTab.reload(); // as the form's note says: its token predates the login
  await lessonTab.getByLabel('End my session after this many seconds without a request').fill(String(idleSeconds));
  await lessonTab.getByRole('button', { name: "Shorten my session's idle limit" }).click();
  await expectStepShown(lessonTab, 'idle-expired', (idleSeconds + 1) * 1000 + stepShownWithinMs);
  await finishLesson(lessonTab, 8);

  // Lesson 9, any mode: open the other site (this server under its other local name), press its button.
  lessonTab = await openLesson(context, 9);
  const popup = context.waitForEvent('page');
  await lessonTab.getByRole('link', { name: 'Open the other site' }).click();
  const otherSite = watch(await popup, { url: `${baseURL}/cart`, status: 403 });
  await otherSite.getByRole('button', { name: 'Claim my free mug' }).click();
  await expect(otherSite.getByRole('heading', { name: 'Form expired' })).toBeVisible();
  await otherSite.close();
  await expectStepShown(lessonTab, 'csrf-refused');
  await finishLesson(lessonTab, 9);

  // Lesson 10, npm start -- --auth-mode=cookie-session: edit the signed login cookie; replay it after logging out.
  await restart(appServer, context, { authMode: 'cookie-session' });
  lessonTab = await openLesson(context, 10);
  await logIn(shop, alice);
  const signed = await namedCookie(context, 'login');
  await context.addCookies([{ ...signed, value: (signed.value.startsWith('e') ? 'f' : 'e') + signed.value.slice(1) }]);
  await shop.goto('/');
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'signed-cookie-forged');
  await logIn(shop, alice);
  const signedCopy = [await namedCookie(context, 'login'), await namedCookie(context, 'login.sig')];
  await logOut(shop);
  await context.addCookies(signedCopy);
  await shop.reload();
  await expectLoggedInAs(shop, alice.email);
  await expectStepShown(lessonTab, 'signed-cookie-replayed');
  await logOut(shop);
  // Then the same replay in session mode, refused.
  await restart(appServer, context, { authMode: 'session' });
  lessonTab = await openLesson(context, 10);
  await logIn(shop, alice);
  const sidBeforeLogout = await sessionCookie(context);
  await logOut(shop);
  await context.addCookies([{ name: 'sid', value: sidBeforeLogout.value, url: baseURL! }]);
  await shop.reload();
  await expectLoggedOut(shop);
  await expectStepShown(lessonTab, 'session-replay-refused');
  await finishLesson(lessonTab, 10);

  // Log out and in again: the lesson list still shows every lesson done, with its time. Lesson 11 needs production
  // over HTTPS, another server with other cookie names: e2e/https-lesson.spec.ts plays it against npm run start:https.
  await logIn(shop, bob);
  await logOut(shop);
  await logIn(shop, alice);
  await shop.goto('/lessons');
  for (const { slug } of lessons.filter(({ startCommand }) => startCommand !== 'npm run start:https')) {
    await expect(shop.locator(`[data-lesson="${slug}"] [data-lesson-status]`)).toContainText(doneTime);
  }
  await expect(shop.locator('[data-lesson="https-in-production"] [data-lesson-status]')).toContainText('Not started');
  expect(problems).toEqual([]);
});
