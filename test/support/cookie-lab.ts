import type { Locator, Page } from '@playwright/test';

/** Lesson 7's cookie lab on an open lesson page. */
export function cookieLab(page: Page): Locator {
  return page.locator('#cookie-lab');
}

/** Sets lab_<name>=hello; `fill` picks the attributes first. */
export async function setLabCookie(page: Page, name: string, fill: (lab: Locator) => Promise<unknown>) {
  const lab = cookieLab(page);
  await lab.getByLabel('Name').fill(name);
  await lab.getByLabel('Value').fill('hello');
  await fill(lab);
  await lab.getByRole('button', { name: 'Set this cookie' }).click();
}
