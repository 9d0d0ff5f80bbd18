import { expect, type Browser, type Page } from '@playwright/test';
import { instructorToken } from './app-server.ts';

/** The instructor's own browser, with the panel open. */
export async function openPanel(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: url });
  const panel = await context.newPage();
  await enterToken(panel, '/instructor');
  return panel;
}

/** Opens `address` (the panel, maybe with ?from=) in `panel` and types the token on the page that asks for it. */
export async function enterToken(panel: Page, address: string) {
  await panel.goto(address);
  await panel.getByLabel('Instructor token').fill(instructorToken);
  await panel.getByRole('button', { name: 'Open the panel' }).click();
  await expect(panel.getByRole('heading', { name: 'Auth mode and session store' })).toBeVisible();
}

export async function switchTo(panel: Page, authMode: string, sessionStore: string) {
  await panel.getByLabel('Auth mode', { exact: true }).selectOption(authMode);
  await panel.getByLabel('Session store (session mode only)').selectOption(sessionStore);
  await panel.getByRole('button', { name: 'Switch' }).click();
  await expect(panel.getByRole('status')).toContainText('Switched from');
}
