import type { BrowserContext, Cookie, Page } from '@playwright/test';
import { expect, test } from '../test/support/app-server.ts';
import { cookieLab, setLabCookie } from '../test/support/cookie-lab.ts';
import { enterToken, switchTo } from '../test/support/instructor.ts';
import { expectLoggedInAs, expectLoggedOut, logIn } from '../test/support/shop-page.ts';
import { PageProblems } from '../test/support/page-problems.ts';
import { demoUsers } from '../models/seed.ts';

/** The feedback of one task step on the open lesson page; lessons.js reveals it without a reload. */
function feedback(page: Page, step: string) {
  return page.locator(`[data-step="${step}"] .task__feedback`);
}

/** The feedback's text is in the page from the start, hidden: only its showing says the step is done. */
async function expectDone(page: Page, step: string, text: string, timeout = 5_000) {
  await expect(feedback(page, step)).toBeVisible({ timeout });
  await expect(feedback(page, step)).toContainText(text);
}

/** Like typing a cookie into the developer tools: for this site, path /. */
async function addCookie(context: BrowserContext, page: Page, name: string, value: string) {
  await context.addCookies([{ name, value, url: new URL('/', page.url()).href }]);
}

async function sessionCookie(context: BrowserContext): Promise<Cookie> {
  const sid = (await context.cookies()).find((cookie) => cookie.name === 'sid');
  if (!sid) throw new Error('The browser holds no sid cookie.');
  return sid;
}

test.describe('lesson 1, cookie mode', () => {
  test.use({ appOptions: { authMode: 'cookie' } });

  test('when a student forges the login cookies in the browser, then the lesson says they forged it', async ({ page, context }) => {
    await page.goto('/lessons/cookies-live-in-the-browser');
    await expect(feedback(page, 'forged-cookie')).toBeHidden();
    await addCookie(context, page, 'loggedIn', 'true');
    await addCookie(context, page, 'userEmail', 'bob@example.com');
    await page.goto('/');
    await expectLoggedInAs(page, 'bob@example.com');
    await page.goto('/orders');
    await expect(page.getByRole('main')).toContainText('Headphones'); // Bob's orders, seen by a forger
    await page.goto('/lessons/cookies-live-in-the-browser');
    await expectDone(page, 'forged-cookie', 'You forged it');
  });
});

test.describe('lesson 2, request mode', () => {
  test.use({ appOptions: { authMode: 'request' } });

  test('when a student logs in, then the login vanishes on the redirect and the lesson says so', async ({ page }) => {
    await page.goto('/lessons/not-on-the-request');
    await logIn(page, demoUsers.alice);
    await expectLoggedOut(page);
    await page.goto('/lessons/not-on-the-request');
    await expectDone(page, 'login-vanished', 'The login vanished');
  });
});

test.describe('lesson 3, global mode', () => {
  test.use({ appOptions: { authMode: 'global' } });

  test('when a student logs in and a second browser opens the shop, then the open lesson page reports the second visitor', async ({ page, browser, baseURL }) => {
    await page.goto('/lessons/not-in-a-global-variable');
    await logIn(page, demoUsers.alice);
    await page.goto('/lessons/not-in-a-global-variable');
    await expect(feedback(page, 'second-visitor')).toBeHidden();

    const secondBrowser = await browser.newContext({ baseURL });
    const stranger = await secondBrowser.newPage();
    await stranger.goto('/');
    await expectLoggedInAs(stranger, demoUsers.alice.email);
    await secondBrowser.close();

    await expectDone(page, 'second-visitor', 'The other browser was logged in as you', 15_000);
  });
});

test.describe('lessons 4 and 7, any mode', () => {
  test('when a student answers the IP address quiz right, then the lesson is done on the index with the time', async ({ page }) => {
    await page.goto('/lessons/not-by-ip-address');
    await page.getByLabel(/same public address/).check();
    await page.getByRole('button', { name: 'Check my answer' }).click();
    await expectDone(page, 'ip-quiz', 'Right');
    await page.goto('/lessons');
    await expect(page.locator('[data-lesson="not-by-ip-address"] [data-lesson-status]')).toContainText(/Done \d/);
    await expect(page.locator('[data-lesson="sessions"] [data-lesson-status]')).toHaveText('Not started');
  });

  test('when a student makes an HttpOnly cookie and a short-lived one in the lab, then the table and the open page\'s feedback show what the browser did', async ({ page }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/lessons/cookie-attributes');
    const lab = cookieLab(page);

    await setLabCookie(page, 'hidden', (form) => form.getByLabel('HttpOnly').check());
    const hidden = lab.locator('tr[data-cookie-name="lab_hidden"]');
    await expect(hidden.locator('[data-sent]')).toHaveText('Yes: hello');
    await expect(hidden.locator('[data-script-sees]')).toHaveText('No');
    await expect(feedback(page, 'httponly-cookie')).toBeVisible();

    await setLabCookie(page, 'short', (form) => form.getByLabel('Max-Age (seconds)').fill('2'));
    const short = lab.locator('tr[data-cookie-name="lab_short"]');
    await expect(short.locator('[data-script-sees]')).toHaveText('Yes: hello');
    // The lab checks every 2 s and the feedback every 3 s: give the expiry a generous margin.
    await expect(short.locator('[data-sent]')).toHaveText('No', { timeout: 15_000 });
    // Visible, not merely present: lessons.js must reveal it on the open page, without a reload.
    await expect(feedback(page, 'expired-cookie')).toBeVisible({ timeout: 15_000 });
    await expect(feedback(page, 'expired-cookie')).toContainText(/Done (\d+ \w+ \d{4}, )?\d\d:\d\d\.\s+Your cookie expired/);
    expect(pageErrors).toEqual([]);
  });
});

test('when a student sends the cookie lab a bad name, then the page says why and the address bar stays on the lesson', async ({ page }) => {
  await page.goto('/lessons/cookie-attributes');
  await setLabCookie(page, 'no spaces allowed', async () => {});
  await expect(cookieLab(page).getByText('Use 1 to 32 letters, digits, - or _.')).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/lessons/cookie-attributes');
});

test.describe('lessons 5 and 8, session mode', () => {
  test.use({ appOptions: { authMode: 'session' } });

  test('when a student edits one character of the sid cookie, then they are logged out and the lesson says the server ignored it', async ({ page, context }) => {
    await page.goto('/lessons/sessions');
    await logIn(page, demoUsers.alice);
    const sid = await sessionCookie(context);
    const last = sid.value.at(-1) === 'A' ? 'B' : 'A';
    await context.addCookies([{ ...sid, value: sid.value.slice(0, -1) + last }]);
    await page.goto('/');
    await expectLoggedOut(page);
    await page.goto('/lessons/sessions');
    await expectDone(page, 'tampered-sid', 'The server ignored your edited sid');
  });

  test('when a student logs out and puts the old sid back, then it is refused and the lesson says so', async ({ page, context }) => {
    await page.goto('/lessons/logout-and-expiry');
    await logIn(page, demoUsers.alice);
    const sid = await sessionCookie(context);
    await page.getByRole('button', { name: 'Logout' }).click();
    await expectLoggedOut(page);
    await context.addCookies([sid]);
    await page.goto('/lessons/logout-and-expiry');
    await expectLoggedOut(page);
    await expectDone(page, 'replayed-after-logout', 'The server refused your old cookie');
  });
});

test.describe('lesson 8, idle expiry', () => {
  test.use({ appOptions: { authMode: 'session' } });

  test('when a student shortens their session and leaves the open lesson page alone, then the page itself reports the expiry', async ({ page }) => {
    await logIn(page, demoUsers.alice);
    await page.goto('/lessons/logout-and-expiry');
    await page.getByLabel('End my session after this many seconds without a request').fill('5');
    await page.getByRole('button', { name: "Shorten my session's idle limit" }).click();
    await expect(page.getByText('Your session now ends after 5 seconds without a request.')).toBeVisible();
    await expect(page.locator('[data-step="idle-expired"] [data-hint]')).toContainText('your browser keeps the sid cookie until');

    // The page keeps polling for progress; that neither extends the session nor counts as activity.
    await expectDone(page, 'idle-expired', 'Your session ended while you were away', 15_000);
    await page.goto('/');
    await expectLoggedOut(page);
  });
});

test.describe('lesson 6, MongoDB store', () => {
  test.use({ appOptions: { authMode: 'session', sessionStore: 'mongodb' } });

  test('when the server restarts, then the student is still logged in and the lesson says the login survived', async ({ page, appServer }) => {
    await page.goto('/lessons/session-stores');
    await logIn(page, demoUsers.alice);
    await appServer.restart();
    await page.goto('/');
    await expectLoggedInAs(page, demoUsers.alice.email);
    await page.goto('/lessons/session-stores');
    await expectDone(page, 'survived-restart', 'Your login survived the restart');
    await expect(feedback(page, 'lost-in-restart')).toBeHidden();
  });
});

test.describe('lesson 6, memory store', () => {
  test.use({ appOptions: { authMode: 'session', sessionStore: 'memory' } });

  test('when the server restarts, then the student is logged out and the lesson says the login was lost', async ({ page, appServer }) => {
    await page.goto('/lessons/session-stores');
    await logIn(page, demoUsers.alice);
    await appServer.restart();
    await page.goto('/');
    await expectLoggedOut(page);
    await page.goto('/lessons/session-stores');
    await expectDone(page, 'lost-in-restart', 'Your login was lost in the restart');
    await expect(feedback(page, 'survived-restart')).toBeHidden();
  });
});

test.describe('lesson 9, any mode', () => {
  test('when a logged-in student presses the other site\'s button, then the shop refuses the form and the open lesson page says so', async ({ page, context }) => {
    await logIn(page, demoUsers.alice);
    await page.goto('/lessons/csrf-and-samesite');
    const otherSitePage = context.waitForEvent('page');
    await page.getByRole('link', { name: 'Open the other site' }).click();
    const otherSite = await otherSitePage;
    await expect(otherSite.getByRole('heading', { name: 'Win a free mug!' })).toBeVisible();
    expect(new URL(otherSite.url()).hostname).toBe('127.0.0.1');

    await otherSite.getByRole('button', { name: 'Claim my free mug' }).click();
    await expect(otherSite.getByRole('heading', { name: 'Form expired' })).toBeVisible();
    expect(new URL(otherSite.url()).hostname).toBe('localhost');

    await expectDone(page, 'csrf-refused', 'The shop refused the other site');
    await page.reload();
    // SameSite=Lax at work: the browser kept every cookie of the shop away from the other site's POST.
    await expect(page.locator('.cross-site__refused')).toContainText('carrying no cookies of the shop');
    await page.goto('/cart');
    await expect(page.getByText('Your cart is empty.')).toBeVisible();
  });
});

test.describe('lesson 6 with the instructor panel, as npm start runs the shop', () => {
  test.use({ appOptions: { authMode: 'session', sessionStore: 'mongodb', supervised: true } });

  /*
   * The Restart button while the lesson is open in another tab, four times, for a new student each
   * time. The open page's polls had hung across a restart: the supervisor could leave a connection
   * handed to the old process unanswered, and the browser held every later poll of the same address
   * behind that one.
   */
  test('when the server restarts from the panel, again and again, then the open lesson page shows each result by itself', async ({ context, baseURL }) => {
    const slug = 'session-stores';
    // Every page of the profile across the restarts: the lesson's polls, the panel's restarting page, the shop.
    const problems = PageProblems.ofEveryPage(context);
    const panelAddress = new URL(`/instructor?from=/lessons/${slug}`, baseURL).href;
    problems.expect({ url: panelAddress, status: 403 }); // the page that asks for the token, until it is typed
    const shop = await context.newPage();
    for (const store of ['mongodb', 'memory', 'mongodb', 'memory']) {
      const lessonTab = await context.newPage();
      await lessonTab.goto(`/lessons/${slug}`);
      const panel = await context.newPage();
      await enterToken(panel, panelAddress);
      await switchTo(panel, 'session', store);
      await logIn(shop, demoUsers.alice);
      await panel.reload(); // as the lesson says: its forms date from before the login
      await panel.getByRole('button', { name: 'Restart the server' }).click();
      await panel.waitForURL(`**/lessons/${slug}`, { timeout: 30_000 });
      await shop.reload();
      if (store === 'mongodb') {
        await expectLoggedInAs(shop, demoUsers.alice.email);
        await expectDone(lessonTab, 'survived-restart', 'Done');
      } else {
        await expectLoggedOut(shop);
        await expectDone(lessonTab, 'lost-in-restart', 'Done');
      }
      await panel.close();
      await lessonTab.close();
      await context.clearCookies(); // the next round is a new student, for whom neither step is done yet
    }
    expect(problems.seen).toEqual([]);
  });
});
