import type { Response } from 'express';

/** The Set-Cookie line this response carries for a cookie name, if any (the last one wins in the browser). */
export function setCookieHeader(res: Response, name: string): string | undefined {
  const headers = [res.getHeader('Set-Cookie') ?? []].flat().map(String);
  return headers.findLast((header) => header.startsWith(`${name}=`));
}
