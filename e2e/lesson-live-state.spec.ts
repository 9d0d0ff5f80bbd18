import type { Page } from '@playwright/test';
import { expect, test } from '../test/support/app-server.ts';
import { problemsOf } from '../test/support/page-problems.ts';
import { openPanel, switchTo } from '../test/support/instructor.ts';
import { expectLoggedInAs, expectLoggedOut, logIn } from '../test/support/shop-page.ts';
import { demoUsers } from '../models/seed.ts';

/*
 * Issue 17: an open lesson page follows the server without a reload. Its progress poll carries the
 * mode, the store and who is logged in; the banner, the badge and the navigation change with them.
 */

/** What /api/session says, asked from the page itself (its cookies). */
async function sessionReport(page: Page) {
  return page.evaluate(async () => (await (await fetch('/api/session')).json()) as { authMode: string; sessionStore: string; user: string | null });
}

const badge = (page: Page) => page.locator('.mode-badge');
const poll = { timeout: 6_000 };

test.describe('an open lesson page, while the instructor switches and another tab logs in', () => {
  test.use({ appOptions: { authMode: 'session', sessionStore: 'mongodb' } });

  test('when the mode is switched and the student logs in and out in other tabs, then the banner, the badge and the login follow within seconds, as /api/session says', async ({ page, context, browser, appServer }) => {
    const problems = problemsOf(page);
    await page.goto('/lessons/cookies-live-in-the-browser');
    const wrong = page.locator('[data-mode-wrong]');
    const ready = page.locator('[data-mode-ready]');
    await expect(wrong).toBeVisible();
    await expect(wrong).toContainText('this server runs in session mode');
    await expect(badge(page)).toHaveText(/^auth mode: session · session store: mongodb/);
    await expectLoggedOut(page);
    await expect(page.locator('[data-step="forged-cookie"] [data-pending-wrong]')).toContainText('The app cannot see this step while the server runs in session mode');

    const panel = await openPanel(browser, appServer.url);
    await switchTo(panel, 'cookie', 'mongodb');
    await expect(ready).toBeVisible(poll);
    await expect(wrong).toBeHidden();
    await expect(page.locator('[data-step="forged-cookie"] [data-pending-wrong]')).toBeHidden();
    await expect(page.locator('[data-step="forged-cookie"] [data-pending-ready]')).toBeVisible();
    await expect(badge(page)).toHaveText(/^auth mode: cookie · session store: none/, poll);
    await expect(page.locator('[data-mode-warning]')).toContainText('Insecure on purpose.');
    expect(await sessionReport(page)).toMatchObject({ authMode: 'cookie', user: null });

    const other = await context.newPage();
    await logIn(other, demoUsers.alice);
    await expectLoggedInAs(page, demoUsers.alice.email); // the lesson tab, never reloaded
    expect(await sessionReport(page)).toMatchObject({ authMode: 'cookie', user: demoUsers.alice.email });

    await switchTo(panel, 'session', 'memory');
    await expect(wrong).toBeVisible(poll);
    await expect(wrong).toContainText('this server runs in session mode');
    await expect(page.locator('[data-step="forged-cookie"] [data-pending-wrong]')).toContainText('The app cannot see this step while the server runs in session mode');
    await expect(badge(page)).toHaveText(/^auth mode: session · session store: memory/, poll);
    await expect(page.locator('[data-mode-warning]')).toHaveCount(0);
    // The cookie mode's login cookies mean nothing to session mode: logged out, as /api/session says.
    await expectLoggedOut(page);
    expect(await sessionReport(page)).toMatchObject({ authMode: 'session', sessionStore: 'memory', user: null });

    // Logged in in session mode in the other tab: the lesson tab's Logout button works (its token is the new session's).
    await logIn(other, demoUsers.alice);
    await expectLoggedInAs(page, demoUsers.alice.email);
    await page.getByRole('button', { name: 'Logout' }).click();
    await expectLoggedOut(page);
    expect(await sessionReport(page)).toMatchObject({ user: null });
    await panel.context().close();
    expect(problems).toEqual([]);
  });

  test('when the student logs in in another tab, then lesson 8\'s idle form works without a reload and keeps the number sent', async ({ page, context }) => {
    const problems = problemsOf(page);
    await page.goto('/lessons/logout-and-expiry');
    const other = await context.newPage();
    await logIn(other, demoUsers.alice);
    await expectLoggedInAs(page, demoUsers.alice.email);
    await page.getByLabel('End my session after this many seconds without a request').fill('10');
    const answer = page.waitForResponse((response) => response.url().endsWith('/idle-limit'));
    await page.getByRole('button', { name: "Shorten my session's idle limit" }).click();
    expect((await answer).status()).toBe(302);
    await expect(page.getByText('Your session now ends after 10 seconds without a request.')).toBeVisible();
    await expect(page.getByLabel('End my session after this many seconds without a request')).toHaveValue('10');
    expect(problems).toEqual([]);
  });

  test('when the instructor switches, then the open class view\'s badge follows within seconds', async ({ browser, appServer }) => {
    const panel = await openPanel(browser, appServer.url);
    const classView = await panel.context().newPage();
    const problems = problemsOf(classView);
    await classView.goto('/instructor/class');
    await expect(badge(classView)).toHaveText(/^auth mode: session · session store: mongodb/);
    await switchTo(panel, 'global', 'memory');
    await expect(badge(classView)).toHaveText(/^auth mode: global · session store: none/, poll);
    await panel.context().close();
    expect(problems).toEqual([]);
  });
});

test('when a student answers lesson 4\'s quiz wrong, then the explanation is in view next to the form and the choice stays', async ({ page }) => {
  const problems = problemsOf(page);
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.goto('/lessons/not-by-ip-address');
  await page.getByLabel(/too slow/).check();
  await page.getByRole('button', { name: 'Check my answer' }).click();
  const result = page.locator('#quiz-result');
  await expect(result).toContainText('Not quite: the address comes with every connection');
  await expect(result).toBeInViewport();
  await expect(page.getByLabel(/too slow/)).toBeChecked();
  expect(problems).toEqual([]);
});
