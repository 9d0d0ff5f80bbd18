import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../test/support/app-server.ts';
import { problemsOf } from '../test/support/page-problems.ts';
import { seriousViolations } from '../test/support/accessibility.ts';
import { enterToken } from '../test/support/instructor.ts';
import { screenshotsDir } from '../test/support/screenshots.ts';
import { lessons } from '../teaching/lesson-catalog.ts';

async function newPage(browser: Browser, baseURL: string, viewport?: { width: number; height: number }): Promise<Page> {
  return (await browser.newContext({ baseURL, viewport })).newPage();
}

/** The instructor's browser with the class view open. */
async function openClassView(browser: Browser, baseURL: string, viewport?: { width: number; height: number }) {
  const classView = await newPage(browser, baseURL, viewport);
  await enterToken(classView, '/instructor');
  // From here on: the token page before it answers 403 on purpose.
  const problems = problemsOf(classView);
  await classView.goto('/instructor/class');
  return { classView, problems };
}

/** A student's browser: `name` chosen on the lesson list (unless undefined), then lesson 4's quiz answered. */
async function student(browser: Browser, baseURL: string, name: string | undefined) {
  const page = await newPage(browser, baseURL);
  const problems = problemsOf(page);
  if (name !== undefined) {
    await page.goto('/lessons');
    await page.getByLabel("Your name in your instructor's class view (optional)").fill(name);
    await page.getByRole('button', { name: 'Save my name' }).click();
    await expect(page.getByText(`Your instructor now sees you as ${name}.`)).toBeVisible();
  }
  await page.goto('/lessons/not-by-ip-address');
  await page.getByLabel(/same public address/).check();
  await page.getByRole('button', { name: 'Check my answer' }).click();
  await expect(page.locator('[data-step="ip-quiz"] .task__feedback')).toBeVisible();
  return { page, problems };
}

const rowOf = (classView: Page, name: string | RegExp) => classView.getByRole('row').filter({ has: classView.getByRole('rowheader', { name }) });
/** Cell 0 is the current lesson, then one per lesson, then the buttons. */
const cellOf = (classView: Page, name: string | RegExp, number: number) => rowOf(classView, name).getByRole('cell').nth(number);
const studentRows = (classView: Page) => classView.locator('#class-rows th[scope="row"]');
const poll = { timeout: 6_000 };

test("when students progress, then the instructor's open class view fills in by itself, with lesson titles and where each student is", async ({ browser, appServer }) => {
  const { classView, problems } = await openClassView(browser, appServer.url);
  await expect(classView.getByText('No student has done anything yet.')).toBeVisible();
  for (const { number, title } of lessons) await expect(classView.getByRole('columnheader', { name: `${number}. ${title}` })).toBeVisible();

  const ada = await student(browser, appServer.url, 'Ada');
  await expect(cellOf(classView, 'Ada', 4).locator('time')).toHaveText(/^\d\d:\d\d$/, poll);
  await expect(cellOf(classView, 'Ada', 1)).toHaveText('–');
  await expect(cellOf(classView, 'Ada', 0)).toHaveText(`4. ${lessons[3]?.title}`);

  // Lesson 1's task needs cookie mode; this server runs in session mode.
  await ada.page.goto('/lessons/cookies-live-in-the-browser');
  await expect(cellOf(classView, 'Ada', 0)).toHaveText(`1. ${lessons[0]?.title} needs cookie mode`, poll);

  const unnamed = await student(browser, appServer.url, undefined);
  await expect(cellOf(classView, /^student [0-9a-f]{8}$/, 4).locator('time')).toBeVisible(poll);
  await expect(studentRows(classView)).toHaveCount(2);
  await expect(classView.getByRole('rowheader', { name: 'Active in the last 3 hours' })).toBeVisible();
  expect(await seriousViolations(classView), 'the grid with rows, buttons and group headings').toEqual([]);
  await classView.screenshot({ path: `${screenshotsDir}class-view.png` });
  expect([...problems, ...ada.problems, ...unnamed.problems]).toEqual([]);
});

test('when two students share a name, then codes tell them apart; the instructor archives one, restores it, and removes the other, whose browser starts anew', async ({ browser, appServer }) => {
  const { classView, problems } = await openClassView(browser, appServer.url);
  const first = await student(browser, appServer.url, 'Sam');
  const second = await student(browser, appServer.url, 'Sam');
  await expect(studentRows(classView)).toHaveCount(2, poll);
  const names = await studentRows(classView).allTextContents();
  for (const name of names) expect(name).toMatch(/^Sam \([0-9a-f]{4}\)$/);
  expect(names[0]).not.toEqual(names[1]);
  const [archived = '', removed = ''] = names;

  await rowOf(classView, archived).getByRole('button', { name: 'Archive' }).click();
  await expect(classView.getByText(`${archived} is archived`)).toBeVisible();
  await expect(studentRows(classView)).toHaveText(['Sam'], poll); // alone with the name now: no code
  await classView.getByRole('link', { name: 'Show archived students' }).click();
  await expect(classView.getByRole('rowheader', { name: 'Archived' })).toBeVisible(poll);
  expect(await seriousViolations(classView), 'with the archived ones shown').toEqual([]);
  await rowOf(classView, archived).getByRole('button', { name: 'Restore' }).click();
  await expect(classView.getByText(`${archived} is listed again.`)).toBeVisible();
  await classView.getByRole('link', { name: 'Hide archived students' }).click();
  await expect(studentRows(classView)).toHaveText(names.toSorted(), poll);

  classView.once('dialog', (dialog) => void dialog.accept());
  await rowOf(classView, removed).getByRole('button', { name: 'Remove' }).click();
  await expect(classView.getByText(`${removed} is removed, with all their progress.`)).toBeVisible();
  await expect(studentRows(classView)).toHaveText(['Sam'], poll);

  // One browser's progress is gone, the other's kept.
  const pages = [first.page, second.page];
  const progressOf = async (page: Page) => (await (await page.request.get('/api/lessons/progress')).json()) as { lessons: { steps: { doneAt: string | null }[] }[] };
  const doneCounts = await Promise.all(pages.map(async (page) => (await progressOf(page)).lessons.flatMap(({ steps }) => steps).filter(({ doneAt }) => doneAt !== null).length));
  expect(doneCounts.toSorted()).toEqual([0, 1]);
  expect([...problems, ...first.problems, ...second.problems]).toEqual([]);
});

test('when the class view is open on a phone, then the page does not scroll sideways and times stay on one line', async ({ browser, appServer }) => {
  const { classView, problems } = await openClassView(browser, appServer.url, { width: 390, height: 844 });
  await student(browser, appServer.url, 'Ada Lovelace');
  const time = cellOf(classView, 'Ada Lovelace', 4).locator('time');
  await expect(time).toBeVisible(poll);
  const page = await classView.locator('html').evaluate((root) => ({ scrollWidth: root.scrollWidth, width: root.clientWidth }));
  expect(page.scrollWidth).toBeLessThanOrEqual(page.width);
  expect(await time.evaluate((element) => element.getClientRects().length), 'one line box: the time does not wrap').toBe(1);
  await classView.screenshot({ path: `${screenshotsDir}class-view-phone.png`, fullPage: true });
  expect(problems).toEqual([]);
});
