/** A page of this site to go back to after a form: a path, never another origin (`//host`, `/\host`), else `fallback`. */
export function returnAddress(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
