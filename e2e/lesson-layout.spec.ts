import { lessons } from '../teaching/lesson-catalog.ts';
import { cookieLab, setLabCookie } from './support/cookie-lab.ts';
import { expect, test } from './support/app-server.ts';
import { overflowsOf } from './support/layout.ts';
import { problemsOf } from './support/page-problems.ts';

/*
 * Issue 17: code blocks were narrower than their lines (sideways scrolling to read a comment), and on a
 * phone the cookie lab's Set-Cookie column broke every few characters and clipped its third column.
 * Every lesson in the catalog, with every collapsed box opened, at a phone's width and a desktop's:
 * nothing scrolls sideways and no element hides part of its content.
 */

const widths = [
  { name: 'a phone', viewport: { width: 390, height: 844 } },
  { name: 'a desktop', viewport: { width: 1280, height: 800 } },
];

for (const { name, viewport } of widths) {
  test.describe(`every lesson page on ${name} (${viewport.width} px)`, () => {
    test.use({ viewport });

    test('when each lesson in the catalog is open with its boxes unfolded, then nothing scrolls sideways and no content is cut off', async ({ page }) => {
      const problems = problemsOf(page);

      // The lab's table of Set-Cookie lines appears once there is a cookie in it: one with every attribute.
      await page.goto('/lessons/cookie-attributes');
      await setLabCookie(page, 'layout_check', async (lab) => {
        await lab.getByLabel('Max-Age (seconds)').fill('86400');
        await lab.getByLabel('Path').fill('/lessons/cookie-attributes');
        await lab.getByLabel('SameSite').selectOption('strict');
        await lab.getByLabel('HttpOnly').check();
      });
      await expect(cookieLab(page).locator('[data-cookie-lab]')).toBeVisible();

      const overflows: string[] = [];
      for (const path of ['/lessons', ...lessons.map((lesson) => `/lessons/${lesson.slug}`)]) {
        await page.goto(path);
        overflows.push(...(await overflowsOf(page)).map((overflow) => `${path}: ${overflow}`));
      }
      expect(overflows).toEqual([]);
      expect(problems).toEqual([]);
    });
  });
}
