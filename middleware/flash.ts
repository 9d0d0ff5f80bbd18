import type { RequestHandler } from 'express';
import type { VisitorState } from '../sessions/visitor-state.ts';

/**
 * `req.flash(kind, text)` queues a message; the next page that renders them (the views call
 * `flash()`) shows them once. A request that only redirects leaves them queued, so a message
 * such as "your session expired" reaches the login page the redirect leads to.
 */
export function flashMessages(visitorState: VisitorState): RequestHandler {
  return (req, res, next) => {
    req.flash = (kind, text) => {
      visitorState.set(req, 'flash', [...(visitorState.get(req, 'flash') ?? []), { kind, text }]);
    };
    res.locals.flash = () => {
      const messages = visitorState.get(req, 'flash') ?? [];
      if (messages.length > 0) visitorState.set(req, 'flash', undefined);
      return messages;
    };
    next();
  };
}
