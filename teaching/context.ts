import type { Request, RequestHandler } from 'express';
import type { RateLimit } from '../rate-limit/rate-limit.ts';
import type { Lockouts } from '../rate-limit/lockouts.ts';
import type { LiveAuthMode, LiveSettings } from '../sessions/live-auth-mode.ts';
import type { CrossSiteForm } from './cross-site-form.ts';
import type { InstructorAccess } from './middleware/instructor-access.ts';
import type { RequestTimeline } from './request-timeline.ts';
import type { StepHints } from './step-hints.ts';

/** A switch the panel has not shown yet: shown once, on the panel the switch redirects to. */
export interface Change {
  from: string;
  to: string;
  at: Date;
  consequences: string;
}

/**
 * What the plug-in's handlers need from the plug-in that serves the request: its routers hand it to
 * each request, so the handlers stay named module-level functions (a route table names them) and two
 * apps in one process (the tests start many) keep their own.
 */
export interface TeachingContext {
  /** Asked on every request: the instructor can switch the mode while the server runs. */
  authMode: LiveAuthMode;
  /** The configured secrets: the inspector checks signatures as the server does. */
  sessionSecrets: readonly string[];
  /** Lesson 11's task needs production, which only a start with npm run start:https gives. */
  isProduction: boolean;
  hints: StepHints;
  timeline: RequestTimeline;
  crossSite: CrossSiteForm;
  access: InstructorAccess;
  /** Under `npm start` only: starts the server again in a new process, with `settings`. */
  restart: ((settings: LiveSettings) => void) | undefined;
  rateLimit: RateLimit;
  /** Wrong instructor tokens allowed per client address per window. */
  maxTokenFailures: number;
  lockouts: Lockouts;
  panel: { unseenChange: Change | undefined };
}

const contexts = new WeakMap<Request, TeachingContext>();

/** First in each of the plug-in's routers. */
export function provideTeachingContext(context: TeachingContext): RequestHandler {
  return (req, _res, next) => {
    contexts.set(req, context);
    next();
  };
}

export function teachingContext(req: Request): TeachingContext {
  const context = contexts.get(req);
  if (!context) throw new Error(`${req.method} ${req.originalUrl}: the teaching plug-in's router provides its context first.`);
  return context;
}
