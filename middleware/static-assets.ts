import { readdirSync } from 'node:fs';
import express, { type RequestHandler } from 'express';

/**
 * The files under `root`, served by express.static only for paths that start with one of its
 * top-level names (/css, /js, /images, /favicon.ico): a page request skips the `stat` that express.static
 * would otherwise make on every request. The names are read once, at startup.
 */
export function staticAssets(root: string): RequestHandler {
  const topLevelNames = new Set(readdirSync(root));
  const serve = express.static(root, {
    // Browsers ask for the icon beside every page they show: once a day is plenty.
    setHeaders: (res, path) => {
      if (path.endsWith('favicon.ico')) res.set('Cache-Control', 'public, max-age=86400');
    },
  });
  return (req, res, next) => {
    if (topLevelNames.has(req.path.split('/', 2)[1] ?? '')) serve(req, res, next);
    else next();
  };
}
