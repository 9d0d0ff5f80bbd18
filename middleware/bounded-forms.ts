import express, { type RequestHandler } from 'express';

/**
 * The longest text any form field may carry. No field of the shop needs more (a product's
 * description, the longest, allows 400 characters), and it bounds the work of every pattern and
 * hash run on a field, whatever route reads it.
 */
export const maxFieldLength = 1000;

/** A form field longer than {@link maxFieldLength}: refused before any handler reads the form. */
export class FieldTooLongError extends Error {
  readonly status = 413;
  readonly field: string;
  constructor(field: string) {
    super(`The field "${field}" is longer than ${maxFieldLength.toLocaleString('en')} characters. Go back, shorten it and send the form again.`);
    this.field = field;
  }
}

/**
 * Reads every form of the app, bounded: flat string fields only (a form cannot send
 * `{ $gt: '' }`), a small body, few fields, and each field at most {@link maxFieldLength}
 * characters. Routes added later get the same bounds, because no route parses a body itself.
 */
export function boundedForms(): RequestHandler[] {
  const parse = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  const checkLengths: RequestHandler = (req, _res, next) => {
    const fields = Object.entries((req.body ?? {}) as Record<string, string | string[]>);
    const tooLong = fields.find(([, value]) => [value].flat().some((text) => text.length > maxFieldLength));
    next(tooLong ? new FieldTooLongError(tooLong[0].slice(0, 40)) : undefined);
  };
  return [parse, checkLengths];
}
