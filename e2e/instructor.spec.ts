import { expect, instructorToken, test } from '../test/support/app-server.ts';
import { openPanel, switchTo } from '../test/support/instructor.ts';
import { screenshotsDir } from '../test/support/screenshots.ts';
import { expectLoggedInAs, expectLoggedOut, logIn } from '../test/support/shop-page.ts';
import { demoUsers } from '../models/seed.ts';

// As an instructor runs it, with `npm start`: under the supervisor, so the panel can restart the server.
test.use({ appOptions: { supervised: true } });

test('when a visitor has no token or a wrong one, then the instructor panel answers 403', async ({ page }) => {
  const response = await page.goto('/instructor');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Auth mode and session store' })).toHaveCount(0);

  await page.getByLabel('Instructor token').fill('a guess from the back row');
  const answer = page.waitForResponse((candidate) => candidate.url().endsWith('/instructor/token'));
  await page.getByRole('button', { name: 'Open the panel' }).click();

  expect((await answer).status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('That is not the instructor token');
  await expect(page.getByRole('heading', { name: 'Auth mode and session store' })).toHaveCount(0);
});

test('when the instructor enters the token once, then the panel opens and stays open, with the token in no URL', async ({ browser, appServer }) => {
  const panel = await openPanel(browser, appServer.url);

  expect(panel.url()).toBe(`${appServer.url}/instructor`);
  const remembered = (await panel.context().cookies()).find((cookie) => cookie.name === 'instructor');
  expect(remembered?.httpOnly).toBe(true);
  expect(remembered?.value).not.toContain(instructorToken);
  const again = await panel.goto('/instructor');
  expect(again?.status()).toBe(200);
  await panel.context().close();
});

test('when the instructor switches to cookie mode, then the badge and /healthz change and a forged cookie logs in', async ({ page, context, browser, appServer }) => {
  const panel = await openPanel(browser, appServer.url);

  await switchTo(panel, 'cookie', 'mongodb');

  await context.addCookies([
    { name: 'loggedIn', value: 'true', url: appServer.url },
    { name: 'userEmail', value: demoUsers.bob.email, url: appServer.url },
  ]);
  await page.goto('/');
  await expect(page.getByText('auth mode: cookie · session store: none')).toBeVisible();
  await expectLoggedInAs(page, demoUsers.bob.email);
  await expect(panel.getByRole('status')).toContainText('any browser that has, or forges, loggedIn=true');
  const health = (await (await page.request.get('/healthz')).json()) as { authMode: string; store: string };
  expect(health).toMatchObject({ authMode: 'cookie', store: 'none' });
  await panel.context().close();
});

test('when the instructor switches the store, then logins in the old store stop counting and new ones go to the new store', async ({ page, browser, appServer }) => {
  await logIn(page, demoUsers.alice);
  await expectLoggedInAs(page, demoUsers.alice.email);
  const panel = await openPanel(browser, appServer.url);
  await expect(panel.getByText('to session/memory')).toBeVisible();

  await switchTo(panel, 'session', 'memory');
  await expect(panel.getByRole('status')).toContainText('Logins in the MongoDB store stop counting');
  await page.reload();
  await expectLoggedOut(page);
  await expect(page.getByText('auth mode: session · session store: memory')).toBeVisible();

  await logIn(page, demoUsers.bob);
  await panel.reload();
  await expect(panel.getByRole('row').filter({ hasText: demoUsers.bob.email })).toHaveCount(1);
  await expect(panel.getByText('The memory store holds')).toBeVisible();
  await panel.context().close();
});

test('when the instructor ends a student\'s session, then the student is logged out on the next request', async ({ page, browser, appServer }) => {
  await logIn(page, demoUsers.alice);
  const panel = await openPanel(browser, appServer.url);

  const row = panel.getByRole('row').filter({ hasText: demoUsers.alice.email });
  await expect(row).toHaveCount(1);
  await panel.screenshot({ path: `${screenshotsDir}instructor-panel.png`, fullPage: true });
  await row.getByRole('button', { name: /^End session/ }).click();

  await expect(panel.getByRole('status')).toContainText('ended');
  await expect(panel.getByRole('row').filter({ hasText: demoUsers.alice.email })).toHaveCount(0);
  await page.reload();
  await expectLoggedOut(page);
  await panel.context().close();
});

test('when the instructor reads what a switch does, then what leaving the current setting means is said once, not under every choice', async ({ browser, appServer }) => {
  const panel = await openPanel(browser, appServer.url);
  const section = panel.locator('section', { has: panel.getByRole('heading', { name: 'Auth mode and session store' }) });
  await expect(section.getByText('Logins in the MongoDB store stop counting.')).toHaveCount(1);
  await expect(section.locator('dd', { hasText: 'From then on any browser that has, or forges, loggedIn=true' })).toHaveCount(1);
  await panel.context().close();
});

test('when the instructor presses Restart, then the page says what a restart does, waits without a failed request and comes back to the panel from a new process', async ({ page, browser, appServer }) => {
  const panel = await openPanel(browser, appServer.url);
  await switchTo(panel, 'session', 'memory');
  await logIn(page, demoUsers.alice);
  const problems: string[] = [];
  panel.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  panel.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
  const before = await (await panel.request.get('/healthz')).json();

  await panel.getByRole('button', { name: 'Restart the server' }).click();
  await expect(panel.getByRole('heading', { name: 'Restarting the server' })).toBeVisible();
  await expect(panel.getByRole('definition').first()).toContainText('they are gone');
  await panel.waitForURL('**/instructor', { timeout: 30_000 });

  await expect(panel.getByRole('heading', { name: 'Auth mode and session store' })).toBeVisible();
  const after = await (await panel.request.get('/healthz')).json();
  expect(after.bootId).not.toBe(before.bootId);
  expect(after.store).toBe('memory');
  await page.reload();
  await expectLoggedOut(page);
  expect(problems).toEqual([]);
  await panel.context().close();
});
