import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { SessionStoreError } from '../sessions/mongo-store.ts';
import { FieldTooLongError } from '../middleware/bounded-forms.ts';
import { formFromAnotherWorker, servedBy } from '../middleware/served-by.ts';
import { isDatabaseUnavailable } from '../models/db.ts';
import { databaseUnreachable } from '../lib/database-outage.ts';
import { appContext } from './app-context.ts';
import { logger } from '../lib/logger.ts';

interface ErrorPage {
  status: number;
  title: string;
  message: string;
  /** Why it happened, when the app can tell. */
  explanation?: string;
}

const nothingLost =
  'Nothing is lost: your account, cart and orders stay in the database, and a login you had still holds once it is back. ' +
  'Try again in a minute: the shop reconnects by itself.';

const errorPages = {
  badRequest: { status: 400, title: 'Bad request', message: 'The request could not be understood. Go back and try again.' },
  csrf: {
    status: 403,
    title: 'Form expired',
    message: 'This form has expired or did not come from this site. Go back, reload the page and send it again.',
  },
  notFound: { status: 404, title: 'Page not found', message: 'There is nothing at this address.' },
  tooLarge: { status: 413, title: 'Form too large', message: 'This form carries more than any page of this shop sends. Go back, shorten what you typed and send it again.' },
  serverError: { status: 500, title: 'Something went wrong', message: 'An unexpected error happened on our side. Please try again later.' },
  // Fail closed: without the session store nobody can be recognised, so nothing private is shown.
  storeUnavailable: {
    status: 503,
    title: 'Sessions unavailable',
    message: 'The shop cannot reach its database, where it keeps who is logged in, so for now it cannot recognise anyone.',
    explanation: nothingLost,
  },
  databaseUnavailable: {
    status: 503,
    title: 'Shop unavailable',
    message: 'The shop cannot reach its database, so for now it cannot show or save anything stored there.',
    explanation: nothingLost,
  },
} satisfies Record<string, ErrorPage>;

/** The database being away is expected, not a bug: no stack trace in any mode, one log line per outage. */
const outagePages: ReadonlySet<ErrorPage> = new Set([errorPages.storeUnavailable, errorPages.databaseUnavailable]);

export const notFound: RequestHandler = (_req, res) => {
  renderErrorPage(res, errorPages.notFound, undefined);
};

export const handleErrors: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.writableEnded) {
    // Too late to tell anyone (e.g. a session save that failed after the page went out):
    // Express's default handler would only destroy a healthy keep-alive connection.
    logger.error({ err: error }, 'Request failed after its response was sent');
    return;
  }
  if (res.headersSent) {
    next(error);
    return;
  }
  const page = withBlockedCookies(withWorkerExplanation(pageFor(error), req, res.locals.sessionStore), req);
  const outage = outagePages.has(page);
  if (outage) databaseUnreachable(error);
  else if (page.status >= 500) logger.error({ err: error }, 'Request failed');
  // The stack helps while developing, and helps an attacker in production.
  const details = appContext(req).config.isProduction || page.status < 500 || outage ? undefined : String((error as Error | undefined)?.stack ?? error);
  renderErrorPage(res, page, details);
};

function renderErrorPage(res: Parameters<RequestHandler>[1], page: ErrorPage, details: string | undefined): void {
  res.status(page.status).render('errors/error', { pageTitle: page.title, ...page, details });
}

/**
 * A form that carries a token but came with no cookie at all: the page that showed it stored the token
 * behind a cookie, and the browser did not send it back. Blocked cookies (a browser setting): reloading
 * would give a new form refused the same way, for ever.
 */
function withBlockedCookies(page: ErrorPage, req: Request): ErrorPage {
  const token: unknown = req.body?._csrf;
  if (page !== errorPages.csrf || typeof token !== 'string' || token === '' || (req.headers.cookie ?? '').trim() !== '') return page;
  return {
    status: page.status,
    title: 'Cookies blocked',
    message:
      `Your browser sent this form without any cookie, though the page that showed it gave your browser one to send back. ` +
      `It seems to block cookies for ${req.hostname}, and this shop cannot check a form, or keep you logged in, without them: reloading will not help.`,
    explanation:
      `Allow cookies for ${req.hostname}, then reload the page with the form. Chrome and Edge: the icon left of the address, then Cookies and site data (or Site settings), then allow. ` +
      'Firefox: the shield left of the address, then turn off Enhanced Tracking Protection for this site, or Settings, Privacy & Security, Cookies and Site Data, Manage Exceptions, Allow. ' +
      'Safari: Settings, Privacy, then untick Block all cookies. A private window that blocks third-party cookies only is fine: these are the site\'s own.',
  };
}

/** In a memory-store cluster, a form refused because its session lives in another worker's memory says so. */
function withWorkerExplanation(page: ErrorPage, req: Request, sessionStore: unknown): ErrorPage {
  const formWorker = formFromAnotherWorker(req);
  if (page !== errorPages.csrf || sessionStore !== 'memory' || formWorker === undefined) return page;
  const explanation =
    `The form came from ${formWorker}, but this POST reached ${servedBy}. With the memory store every worker keeps ` +
    `its own sessions in its own memory: ${servedBy} has never seen the session that holds this form's token, so it ` +
    `refuses the form. The fix is a session store all workers share (MongoDB) or sticky sessions (a load balancer ` +
    `that sends each browser to the same worker every time).`;
  return { ...page, explanation };
}

function pageFor(error: unknown): ErrorPage {
  // A malformed id in a URL names nothing, like an unknown one.
  if (error instanceof mongoose.Error.CastError) return errorPages.notFound;
  if (error instanceof SessionStoreError) return errorPages.storeUnavailable;
  if (isDatabaseUnavailable(error)) return errorPages.databaseUnavailable;
  if ((error as { code?: unknown } | undefined)?.code === 'EBADCSRFTOKEN') return errorPages.csrf;
  if (error instanceof FieldTooLongError) return { ...errorPages.tooLarge, message: error.message };
  const status = statusOf(error) ?? 500;
  if (status === 404) return errorPages.notFound;
  if (status === 413) return errorPages.tooLarge;
  return { ...(status < 500 ? errorPages.badRequest : errorPages.serverError), status };
}

/** The HTTP status an error carries (http-errors, body-parser), if it is a valid one. */
function statusOf(error: unknown): number | undefined {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const value = status ?? statusCode;
  return typeof value === 'number' && value >= 400 && value <= 599 ? value : undefined;
}
