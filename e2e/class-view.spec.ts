import type { Browser, Page } from '@playwright/test';
import { expect, instructorToken, test } from '../test/support/app-server.ts';
import { screenshotsDir } from '../test/support/screenshots.ts';

async function newPage(browser: Browser, baseURL: string): Promise<Page> {
  return (await browser.newContext({ baseURL })).newPage();
}

async function answerQuiz(student: Page) {
  await student.goto('/lessons/not-by-ip-address');
  await student.getByLabel(/same public address/).check();
  await student.getByRole('button', { name: 'Check my answer' }).click();
  await expect(student.locator('[data-step="ip-quiz"] .task__feedback')).toBeVisible();
}

/** A student's row in the grid, and its cell for lesson `number`. */
function cellOf(classView: Page, name: string | RegExp, number: number) {
  return classView.getByRole('row').filter({ has: classView.getByRole('rowheader', { name }) }).getByRole('cell').nth(number - 1);
}

test('when two students progress, then the instructor\'s open class view fills in by itself', async ({ browser, appServer }) => {
  const classView = await newPage(browser, appServer.url);
  await classView.goto('/instructor/class');
  await classView.getByLabel('Instructor token').fill(instructorToken);
  await classView.getByRole('button', { name: 'Open the panel' }).click();
  await classView.goto('/instructor/class');
  await expect(classView.getByText('No student has done anything yet.')).toBeVisible();

  const ada = await newPage(browser, appServer.url);
  await ada.goto('/lessons');
  await ada.getByLabel("Your name in your instructor's class view (optional)").fill('Ada');
  await ada.getByRole('button', { name: 'Save my name' }).click();
  await expect(ada.getByText('Your instructor now sees you as Ada.')).toBeVisible();
  await answerQuiz(ada);
  await expect(cellOf(classView, 'Ada', 4).locator('time')).toHaveText(/\d\d:\d\d/, { timeout: 5_000 });
  await expect(cellOf(classView, 'Ada', 1)).toHaveText('–');

  const unnamed = await newPage(browser, appServer.url);
  await answerQuiz(unnamed);
  await expect(cellOf(classView, /^student [0-9a-f]{8}$/, 4).locator('time')).toBeVisible({ timeout: 5_000 });
  await expect(classView.getByRole('rowheader')).toHaveCount(2);
  await classView.screenshot({ path: `${screenshotsDir}class-view.png` });
});
