/** Every character an HTTP client may put in a header value: visible ASCII, space, and Latin-1 bytes. */
export const headerSafe = Array.from({ length: 0xff - 0x20 + 1 }, (_, index) => String.fromCharCode(index + 0x20))
  .filter((character) => character !== '\x7f')
  .join('');

/** Runs `work` over `items`, `parallel` at a time. */
export async function inBatches<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += parallel) await Promise.all(items.slice(start, start + parallel).map(work));
}
