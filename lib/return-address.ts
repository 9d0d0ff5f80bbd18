const thisSite = 'http://this-site.invalid';

/**
 * A page of this site to go back to after a form, else `fallback`. The address is resolved as a
 * browser would resolve it (which drops tabs and newlines and reads `\` as `/`), and kept only
 * when it stays on this site: `/\t/evil.example` and `/\evil.example` would leave it.
 */
export function returnAddress(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  const resolved = URL.parse(value, thisSite);
  if (resolved?.origin !== thisSite) return fallback;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
