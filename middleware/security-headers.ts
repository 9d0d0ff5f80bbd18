import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.ts';

/**
 * What the browser may do with our pages. The whole policy is listed here rather than taken from
 * helmet's defaults, whose style-src allows inline styles.
 */
export function securityHeaders({ isProduction }: Pick<Config, 'isProduction'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // Only our own files: a script or style injected into a page (XSS) does not run.
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"], // no onclick="..." either
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"], // an injected <base> cannot redirect relative links and forms
        formAction: ["'self'"], // an injected form cannot post a password elsewhere
        frameAncestors: ["'none'"], // no other site may frame us (clickjacking)
        upgradeInsecureRequests: isProduction ? [] : null,
      },
    },
    xFrameOptions: { action: 'deny' }, // frame-ancestors for browsers that predate it
    // Only production is served over HTTPS; HSTS on a development host would stick for a year.
    strictTransportSecurity: isProduction ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
  });
}
