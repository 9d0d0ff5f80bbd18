import type { CookieOptions, Request } from 'express';
import type { LabCookie } from './lesson-progress.ts';

/**
 * The cookie lab of lesson 7: a student sets a cookie with the attributes they choose and
 * watches what the browser does with it. Its cookies all start with `lab_`, so they can never
 * replace one the shop relies on, and listing them shows nothing secret.
 */

export const labCookiePrefix = 'lab_';
export const sameSiteValues = ['lax', 'strict', 'none'] as const;
/** How many lab cookies a student keeps; setting one more removes the oldest. */
export const maximumLabCookies = 10;
const maximumMaxAgeSeconds = 30 * 24 * 60 * 60;

export interface LabCookieForm {
  name: string;
  value: string;
  maxAge: string;
  path: string;
  sameSite: string;
  httpOnly: boolean;
  secure: boolean;
  domain: boolean;
}
export type LabCookieErrors = Partial<Record<keyof LabCookieForm, string>>;

export const emptyLabCookieForm: LabCookieForm = {
  name: '',
  value: '',
  maxAge: '',
  path: '/',
  sameSite: 'lax',
  httpOnly: false,
  secure: false,
  domain: false,
};

/** The form as sent; a missing or repeated field counts as empty. */
export function readLabCookieForm(body: unknown): LabCookieForm {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name].trim() : '');
  const checked = (name: string) => fields[name] === 'on';
  return {
    name: text('name'),
    value: text('value'),
    maxAge: text('maxAge'),
    path: text('path'),
    sameSite: text('sameSite'),
    httpOnly: checked('httpOnly'),
    secure: checked('secure'),
    domain: checked('domain'),
  };
}

export function validateLabCookieForm(form: LabCookieForm, hostname: string): LabCookieErrors {
  const errors: LabCookieErrors = {};
  // Cookie names and values have a restricted alphabet (RFC 6265); these subsets need no escaping.
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(form.name)) errors.name = 'Use 1 to 32 letters, digits, - or _.';
  if (!/^[A-Za-z0-9._~-]{1,100}$/.test(form.value)) errors.value = 'Use 1 to 100 letters, digits, or . _ ~ -';
  if (form.maxAge !== '' && !isWholeNumberIn(form.maxAge, 1, maximumMaxAgeSeconds)) {
    errors.maxAge = `Leave it empty, or give whole seconds from 1 to ${maximumMaxAgeSeconds} (30 days).`;
  }
  if (!/^\/[A-Za-z0-9/_.-]{0,99}$/.test(form.path)) errors.path = 'Start with / and use up to 100 letters, digits, or / _ . -';
  if (!(sameSiteValues as readonly string[]).includes(form.sameSite)) errors.sameSite = 'Choose Lax, Strict or None.';
  if (form.domain && !/^[A-Za-z0-9.-]{1,253}$/.test(hostname)) errors.domain = `"${hostname}" cannot be a cookie Domain; leave Domain off.`;
  return errors;
}

function isWholeNumberIn(text: string, min: number, max: number): boolean {
  return /^\d{1,8}$/.test(text) && Number(text) >= min && Number(text) <= max;
}

/** What Set-Cookie will say for a valid form. */
export function labCookieOptions(form: LabCookieForm, hostname: string): CookieOptions {
  return {
    path: form.path,
    httpOnly: form.httpOnly,
    secure: form.secure,
    sameSite: form.sameSite as (typeof sameSiteValues)[number],
    ...(form.maxAge === '' ? {} : { maxAge: Number(form.maxAge) * 1000 }), // Express wants milliseconds
    ...(form.domain ? { domain: hostname } : {}),
  };
}

/** The record the detector compares the browser's requests with. */
export function labCookieRecord(form: LabCookieForm, hostname: string, header: string, now = new Date()): LabCookie {
  return {
    name: labCookiePrefix + form.name,
    header,
    path: form.path,
    httpOnly: form.httpOnly,
    domain: form.domain ? hostname : undefined,
    expiresAt: form.maxAge === '' ? undefined : new Date(now.getTime() + Number(form.maxAge) * 1000),
  };
}

/** The lab cookies this request carries (they are not secret: the student made them up). */
export function sentLabCookies(req: Request): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.cookies as Record<string, unknown>).filter(
      (entry): entry is [string, string] => entry[0].startsWith(labCookiePrefix) && typeof entry[1] === 'string',
    ),
  );
}

/** RFC 6265 5.1.4: a cookie with this Path goes with a request for this path. */
export function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  return requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/');
}

/** What the lab table says when the browser did not send a cookie back with this page. */
export function whyNotSent(cookie: Pick<LabCookie, 'header' | 'path'>, requestPath: string): string {
  // Chromium and Firefox drop such a cookie without a word; the page has to say why.
  if (/; SameSite=None/.test(cookie.header) && !/; Secure/.test(cookie.header)) return 'No: browsers refuse SameSite=None without Secure';
  return pathMatches(cookie.path, requestPath) ? 'No' : 'No: its Path does not cover this page';
}

/** What this request says about the student's lab cookies: only those whose Path covers it. */
export function labCookiesSeen(labCookies: readonly LabCookie[], req: Request, now = new Date()) {
  const sent = sentLabCookies(req);
  let httpOnlySent = false;
  let expired = false;
  let firstSightings = false;
  const updated = labCookies.map((cookie) => {
    if (!pathMatches(cookie.path, req.path)) return cookie;
    const isSent = cookie.name in sent;
    if (isSent && cookie.httpOnly) httpOnlySent = true;
    // Sent while fresh, missing once past its expiry: the browser dropped it.
    if (!isSent && cookie.seenAt && cookie.expiresAt && cookie.expiresAt <= now) expired = true;
    if (!isSent || cookie.seenAt) return cookie;
    firstSightings = true;
    return { ...cookie, seenAt: now };
  });
  return { httpOnlySent, expired, firstSightings, labCookies: updated };
}
