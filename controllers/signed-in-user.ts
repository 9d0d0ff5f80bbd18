import type { Request } from 'express';
import type { UserDocument } from '../models/user.ts';

/** The user of a route behind requireLogin; reaching one without a user is a wiring bug, not bad input. */
export function signedInUser(req: Request): UserDocument {
  if (!req.user) throw new Error(`${req.method} ${req.originalUrl} needs requireLogin in front of it.`);
  return req.user;
}
