import type { RequestHandler } from 'express';
import type { VisitorState } from './visitor-state.ts';

/** `req.flash(kind, text)` queues a message; the next page shown (a GET) displays it once. */
export function flashMessages(visitorState: VisitorState): RequestHandler {
  return (req, res, next) => {
    req.flash = (kind, text) => {
      visitorState.set(req, 'flash', [...(visitorState.get(req, 'flash') ?? []), { kind, text }]);
    };
    // A POST ends in a redirect, so its messages wait for the GET that follows.
    const messages = req.method === 'GET' ? (visitorState.get(req, 'flash') ?? []) : [];
    if (messages.length > 0) visitorState.set(req, 'flash', undefined);
    res.locals.flash = messages;
    next();
  };
}
