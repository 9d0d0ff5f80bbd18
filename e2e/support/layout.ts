import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

const overflowsScript = readFileSync(new URL('./layout-overflows.js', import.meta.url), 'utf8');

/**
 * What does not fit on the open page, with every collapsed box opened: the page wider than the window,
 * each element whose content is wider than its box and cut off or scrolled, and code wrapped to a few
 * characters a line.
 */
export function overflowsOf(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(overflowsScript);
}
