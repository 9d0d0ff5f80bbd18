import type { Page } from '@playwright/test';
import { expect, test } from '../test/support/app-server.ts';
import { openPanel, switchTo } from '../test/support/instructor.ts';
import { expectLoggedOut, logIn } from '../test/support/shop-page.ts';
import { demoUsers } from '../models/seed.ts';

test.use({ appOptions: { authMode: 'session', sessionStore: 'mongodb' } });

async function expectQuizLessonDone(page: Page) {
  await page.goto('/lessons');
  await expect(page.locator('[data-lesson="not-by-ip-address"] [data-lesson-status]')).toContainText(/Done \d/);
}

async function logOut(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Logout' }).click();
  await expectLoggedOut(page);
}

test('when a student logs out, logs in as someone else and the store switches, then a finished lesson stays done', async ({ page, browser, appServer }) => {
  await page.goto('/lessons/not-by-ip-address');
  await page.getByLabel(/same public address/).check();
  await page.getByRole('button', { name: 'Check my answer' }).click();
  await expectQuizLessonDone(page);

  await logIn(page, demoUsers.alice);
  await logOut(page);
  await expectQuizLessonDone(page);

  await logIn(page, demoUsers.bob);
  await expectQuizLessonDone(page);

  const panel = await openPanel(browser, appServer.url);
  await switchTo(panel, 'session', 'memory');
  await panel.context().close();
  await logIn(page, demoUsers.alice);
  await logOut(page);
  await expectQuizLessonDone(page);
});
