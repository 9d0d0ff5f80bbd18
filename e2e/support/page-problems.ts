import type { Page } from '@playwright/test';

/**
 * What a user could notice going wrong on `page` from now on: console errors, page errors and failed
 * requests. A test that causes answers with `expectedStatus` (a 503 while it has stopped the database)
 * leaves the console line each of them prints out. ERR_ABORTED is the browser itself cancelling what a
 * page still loads (a poll) as it navigates: nobody sees that.
 */
export function problemsOf(page: Page, expectedStatus?: number): string[] {
  const problems: string[] = [];
  const expectedLine = `Failed to load resource: the server responded with a status of ${expectedStatus} `;
  page.on('console', (message) => {
    const expected = expectedStatus !== undefined && message.text().startsWith(expectedLine);
    if (message.type() === 'error' && !expected) problems.push(`${page.url()}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const errorText = request.failure()?.errorText;
    if (errorText !== 'net::ERR_ABORTED') problems.push(`${request.url()}: request failed: ${errorText}`);
  });
  return problems;
}
