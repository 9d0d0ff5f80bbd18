import type { Browser, Reply } from './browser.ts';

const pageLimit = 200;

/** Every same-site page reachable through `<a href>` links from `start`, as this browser sees it. */
export async function crawl(browser: Browser, start: readonly string[]): Promise<Map<string, Reply>> {
  const pages = new Map<string, Reply>();
  const queue = [...start];
  for (let path = queue.shift(); path !== undefined && pages.size < pageLimit; path = queue.shift()) {
    if (pages.has(path)) continue;
    const page = await browser.get(path);
    pages.set(path, page);
    for (const [, link = ''] of page.text.matchAll(/<a\s[^>]*href="(\/[^"#]*)"/g)) {
      if (!pages.has(link)) queue.push(link);
    }
  }
  return pages;
}
