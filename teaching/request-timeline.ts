import type { Request, Response } from 'express';
import { RecentEntries } from '../lib/recent-entries.ts';
import { sessionFingerprint } from '../sessions/fingerprint.ts';

/** One request of a browser as the inspector lists it: the cookies travelling both ways. */
export interface TimelineEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  /** Names only: the values are in the browser already, and HttpOnly ones must stay out of page scripts. */
  cookiesSent: string[];
  cookiesSet: { name: string; value: string; attributes: string[] }[];
}

const entriesPerBrowser = 20;
// Bounds on what a browser can make the server keep: a request line and a Cookie header can be long.
const browsersKept = 2_000;
const longestText = 100;
const mostCookieNames = 30;

/** Each student's last requests, in memory: a teaching aid, gone with the process. */
export class RequestTimeline {
  readonly #byStudent = new RecentEntries<string, TimelineEntry[]>(browsersKept);

  /** Called when the response has gone out, so every Set-Cookie is known. */
  record(studentId: string, req: Request, res: Response, sessionCookieName: string | undefined): void {
    const entry: TimelineEntry = {
      at: new Date().toISOString(),
      method: req.method,
      // The whole path, mount point included (req.path is relative to a mounted router); never the query, which could carry a token.
      path: new URL(req.originalUrl, 'http://this-site.invalid').pathname.slice(0, longestText),
      status: res.statusCode,
      cookiesSent: cookieNames(req.headers.cookie),
      cookiesSet: setCookieLines(res).map((line) => describeSetCookie(line, sessionCookieName)),
    };
    this.#byStudent.set(studentId, [...(this.#byStudent.get(studentId) ?? []), entry].slice(-entriesPerBrowser));
  }

  /** Newest first. */
  of(studentId: string | undefined): TimelineEntry[] {
    return studentId === undefined ? [] : [...(this.#byStudent.get(studentId) ?? [])].reverse();
  }
}

/** The names in a Cookie header, as many and as long as a page shows. */
export function cookieNames(header: string | undefined): string[] {
  return (header ?? '')
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim() ?? '')
    .filter((name) => name !== '')
    .slice(0, mostCookieNames)
    .map((name) => name.slice(0, longestText));
}

function setCookieLines(res: Response): string[] {
  const header = res.getHeader('set-cookie');
  return header === undefined ? [] : [header].flat().map(String);
}

/** A session id shows only as its fingerprint, any other HttpOnly value not at all: page scripts read this. */
function describeSetCookie(line: string, sessionCookieName: string | undefined) {
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  const equals = pair.indexOf('=');
  const name = pair.slice(0, equals);
  const value = pair.slice(equals + 1);
  const httpOnly = attributes.some((attribute) => attribute.toLowerCase() === 'httponly');
  const shown = () => {
    if (value === '') return '(empty: this clears the cookie)';
    if (name === sessionCookieName) return `session id, fingerprint ${sessionFingerprint(signedIdOf(value))}`;
    if (httpOnly) return '(hidden: HttpOnly)';
    return value.slice(0, longestText);
  };
  return { name, value: shown(), attributes: attributes.map((attribute) => attribute.slice(0, longestText)) };
}

/** `s%3A<id>.<signature>` as express-session writes it: the fingerprint is of the id, as everywhere else. */
function signedIdOf(cookieValue: string): string {
  const decoded = decodeURIComponent(cookieValue);
  return decoded.startsWith('s:') ? decoded.slice(2, decoded.lastIndexOf('.')) : decoded;
}
