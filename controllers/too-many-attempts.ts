import type { Response } from 'express';
import type { Refusal } from '../rate-limit/rate-limit.ts';

/** Sets Retry-After for a refused attempt and answers the sentence telling the visitor how long to wait. */
export function tooManyAttempts(res: Response, { retryAfterSeconds }: Refusal, attempts: string): string {
  res.set('Retry-After', String(retryAfterSeconds));
  return `Too many ${attempts}. Please wait ${waitingTime(retryAfterSeconds)} and try again.`;
}

function waitingTime(seconds: number): string {
  const [amount, unit] = seconds < 60 ? [seconds, 'second'] : [Math.ceil(seconds / 60), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
