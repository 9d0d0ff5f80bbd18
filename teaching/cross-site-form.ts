import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ShopEvents } from '../lib/shop-events.ts';
import { RecentEntries } from '../lib/recent-entries.ts';
import { Product } from '../models/product.ts';
import { loadProgress, markStepDone, rememberEvidence } from './models/student-progress.ts';
import { logger } from '../lib/logger.ts';
import { cookieNames } from './request-timeline.ts';
import type { StepDetector } from './step-detectors.ts';

/**
 * Lesson 9's "other site": this same server under its other local name (localhost and 127.0.0.1
 * are different sites to a browser). Its page posts a form to the shop, as a malicious site
 * would. The browser sends none of the shop's cookies with it, so the app cannot tell whose it is
 * by them: a ticket in the link from the lesson page, carried in the form, names the student.
 */
export interface CrossSiteForm {
  /** The other site's page for this student, or undefined when the shop is not on a local name. */
  linkFor(req: Request, studentId: string): string | undefined;
  /** The other site's page: a form aimed at the shop. */
  showOtherSite(req: Request, res: Response): Promise<void>;
  /** Hints while the step is open. */
  detector: StepDetector;
}

const otherLocalName: Readonly<Record<string, string>> = { localhost: '127.0.0.1', '127.0.0.1': 'localhost' };

export function crossSiteForm(events: ShopEvents, lessonPath: string): CrossSiteForm {
  const tickets = new RecentEntries<string, string>(10_000); // ticket → student id

  events.on('form-refused', ({ req }) => {
    const ticket: unknown = req.body?.lessonTicket;
    const studentId = typeof ticket === 'string' ? tickets.get(ticket) : undefined;
    if (studentId === undefined) return;
    const sent = cookieNames(req.headers.cookie);
    const seen = `${req.method} ${req.path} from ${req.get('origin') ?? 'an unnamed origin'}, carrying ${sent.length > 0 ? `the cookies ${sent.join(', ')}` : 'no cookies of the shop'} and no CSRF token`;
    void loadProgress(studentId)
      .then((progress) => {
        markStepDone(progress, 'csrf-refused');
        rememberEvidence(progress, { refusedCrossSiteForm: seen });
      })
      .catch((error: unknown) => logger.error({ err: error }, 'Lesson detection skipped'));
  });

  const otherOrigin = (req: Request) => {
    const other = otherLocalName[req.hostname];
    const port = req.get('host')?.split(':')[1];
    return other === undefined ? undefined : `${req.protocol}://${other}${port === undefined ? '' : `:${port}`}`;
  };

  return {
    detector: {
      request: ({ req, hint }) => {
        hint(
          'csrf-refused',
          otherOrigin(req) === undefined
            ? `You use the shop at ${req.hostname}: this task needs it at localhost or 127.0.0.1, where the other name plays the other site.`
            : 'The shop has not refused a form from the other site yet: open it with the link below and press its button.',
        );
      },
    },

    linkFor(req, studentId) {
      const origin = otherOrigin(req);
      if (origin === undefined) return undefined;
      const ticket = randomBytes(16).toString('base64url');
      tickets.set(ticket, studentId);
      return `${origin}${lessonPath}/other-site?ticket=${ticket}`;
    },

    async showOtherSite(req, res) {
      const shop = otherOrigin(req);
      const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : '';
      if (shop === undefined || !tickets.get(ticket)) {
        res.status(404).render('lessons/other-site', { pageTitle: 'Another site', shop: undefined, ticket: '', productId: '' });
        return;
      }
      // This page plays another site: its form may post to the shop, which our own pages' policy forbids.
      const policy = String(res.getHeader('Content-Security-Policy') ?? '');
      res.set('Content-Security-Policy', policy.replace("form-action 'self'", `form-action ${shop}`));
      const product = await Product.findOne({}, { _id: 1 });
      res.render('lessons/other-site', { pageTitle: 'Another site', shop, ticket, productId: product?.id ?? '' });
    },
  };
}
