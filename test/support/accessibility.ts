import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** The serious and critical axe-core findings on the open page, as readable lines (axe builds no report of what passed). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
  return violations
    .filter(({ impact }) => impact === 'serious' || impact === 'critical')
    .map(({ id, help, nodes }) => `${page.url()}: ${id} (${help}) at ${nodes.map(({ target }) => target.join(' ')).join(', ')}`);
}
