import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { appCookie } from '../sessions/app-cookie.ts';
import type { Config } from '../config.ts';

/**
 * Who a student is for lesson progress: a long-lived random id in a signed cookie. It is not a
 * login: it opens nothing in the shop, it only keeps lesson progress apart per browser.
 */
export interface StudentCookie {
  /** The student id this browser sent with a valid signature, if any. */
  read(req: Request): string | undefined;
  write(res: Response, studentId: string): void;
}

const idPattern = /^[A-Za-z0-9_-]{32}$/;
const oneYearMs = 365 * 24 * 60 * 60 * 1000;

export function studentCookie(config: Config): StudentCookie {
  const { name: cookieName, options } = appCookie(config, 'student', {
    signed: true, // an edited id fails the signature check: nobody picks another student's progress
    httpOnly: true, // page scripts have no use for it
    maxAge: oneYearMs, // outlives the browser session: progress is kept for the whole course
  });
  return {
    read(req) {
      const id: unknown = req.signedCookies?.[cookieName];
      return typeof id === 'string' && idPattern.test(id) ? id : undefined;
    },
    write(res, studentId) {
      res.cookie(cookieName, studentId, options);
    },
  };
}

export function newStudentId(): string {
  return randomBytes(24).toString('base64url'); // 192 random bits, 32 characters
}
