import type { RequestHandler } from 'express';

/** Guards a route: anonymous visitors are sent to the login page. */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (req.user) {
    next();
    return;
  }
  req.flash('error', 'Please log in to see that page.');
  res.redirect('/login');
};
