/**
 * Browser libraries the page loads, served from node_modules (so `npm install && npm start` from a fresh
 * clone has them, with no CDN and no copy step): each is one named file at /vendor/<name>, from 'self' as
 * the CSP requires. Only the files listed here are reachable; nothing else under node_modules is served.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';

const require = createRequire(import.meta.url);

/**
 * URL name → file. Chart.js's UMD build is one self-contained file (its ESM build imports @kurkle/color by
 * bare name, which a page without a bundler or import map cannot resolve; an inline import map would need a
 * CSP exception). The package's exports do not name dist/ files, so the path is found from its main entry.
 */
export const VENDOR_FILES: Readonly<Record<string, string>> = {
  'chart.umd.min.js': join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
};

export function vendorRoutes(): Router {
  const router = Router();
  for (const [name, file] of Object.entries(VENDOR_FILES)) {
    router.get(`/${name}`, (_req, res, next) => {
      // A day: the file changes only with `npm install`; the page works offline after the first load.
      res.sendFile(file, { maxAge: '1d', dotfiles: 'allow' }, (err) => {
        if (err) next(err);
      });
    });
  }
  return router;
}
