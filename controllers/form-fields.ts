import type { Request } from 'express';

/** A form field as text; anything else (a missing field, a repeated one) counts as empty. */
export function textField(req: Request, name: string): string {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
