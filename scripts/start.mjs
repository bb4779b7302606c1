/**
 * `npm start`: runs the server from its bundle (scripts/server-bundle.mjs), built first when a source
 * changed, so a fresh clone needs only `npm install && npm start`. A checkout this user cannot write to
 * (the bundle cannot be saved) runs the TypeScript sources through tsx instead, as before: slower to
 * start, the same server.
 */
import { bundleUrl, ensureServerBundle } from './server-bundle.mjs';

let bundled = true;
try {
  await ensureServerBundle();
} catch (err) {
  if (!['EACCES', 'EPERM', 'EROFS'].includes(err?.code)) throw err;
  bundled = false;
}
if (bundled) await import(bundleUrl());
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/main.ts');
}
