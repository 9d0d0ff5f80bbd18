import type { BrowserContext, Page } from '@playwright/test';

/** An error answer a page is there to show (lesson 9's refused form, a 503 while a test has stopped the database), which is no problem. */
export interface ExpectedError {
  /** Any address when left out. */
  url?: string;
  status: number;
}

/**
 * Everything that went wrong on the watched pages: console errors, page errors, failed requests
 * and error answers. A spec checks `expect(problems.seen).toEqual([])` at its end.
 */
export class PageProblems {
  readonly seen: string[] = [];
  readonly #expected: ExpectedError[] = [];

  /** Watches every page `context` opens from now on: tabs, popups, the pages a restart goes through. */
  static ofEveryPage(context: BrowserContext): PageProblems {
    const problems = new PageProblems();
    context.on('page', (page) => problems.watch(page));
    return problems;
  }

  /** From now on, `status` from `url` is what a page is there to show. */
  expect(error: ExpectedError) {
    this.#expected.push(error);
  }

  watch(page: Page): Page {
    const isExpected = (url: string, status: number) => this.#expected.some((error) => (error.url ?? url) === url && error.status === status);
    page.on('console', (message) => {
      // The browser's own line for an expected error answer, about that very address.
      const shown = this.#expected.some(
        ({ url, status }) => (url ?? message.location().url) === message.location().url && message.text().startsWith(`Failed to load resource: the server responded with a status of ${status} `),
      );
      if (message.type() === 'error' && !shown) this.seen.push(`${page.url()}: console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.seen.push(`${page.url()}: page error: ${error.message}`));
    page.on('requestfailed', (request) => {
      // ERR_ABORTED is the browser itself cancelling what a page still loads (a poll, an image) as the page
      // navigates or closes: nobody sees that. A server that fails answers with a status or drops the
      // connection (ERR_EMPTY_RESPONSE, ERR_CONNECTION_RESET), and those still count.
      const cancelledByBrowser = request.failure()?.errorText === 'net::ERR_ABORTED';
      if (!cancelledByBrowser) this.seen.push(`${request.url()}: request failed: ${request.failure()?.errorText}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && !isExpected(response.url(), response.status())) this.seen.push(`${response.url()}: ${response.status()}`);
    });
    return page;
  }
}

/** The problems of `page` from now on, but for the `expected` answers: check `expect(problems).toEqual([])` at the end. */
export function problemsOf(page: Page, ...expected: ExpectedError[]): string[] {
  const problems = new PageProblems();
  for (const error of expected) problems.expect(error);
  problems.watch(page);
  return problems.seen;
}
