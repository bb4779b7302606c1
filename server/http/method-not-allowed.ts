/**
 * 405 Method Not Allowed with an `Allow` header for a path that exists under another method (GET /api/ask,
 * DELETE /api/targets), instead of 404. The methods are read from the router's own routes when a request
 * matched none, so every route added later (in any of the routers mounted on it) is covered without a table
 * to keep in step.
 */
import type { RequestHandler, Router } from 'express';
import { HttpError } from './errors.ts';

/** The parts of an Express 5 (router 2) layer this reads; not in Express's public types. */
interface LayerLike {
  match(path: string): false | { path: string };
  route?: { methods: Record<string, boolean | undefined> };
  handle?: { stack?: LayerLike[] };
}

/** Methods of every route in `stack` (and routers mounted in it) whose pattern matches `path`. */
function methodsFor(stack: readonly LayerLike[], path: string, into: Set<string>): void {
  for (const layer of stack) {
    const match = layer.match(path);
    if (!match) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') into.add(method.toUpperCase());
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      // A mounted router sees the path without the part its mount point consumed.
      methodsFor(layer.handle.stack, path.slice(match.path.length) || '/', into);
    }
  }
}

/** The methods `router` answers at `path`, in a stable order; HEAD whenever GET (Express answers it). */
export function allowedMethods(router: Router, path: string): string[] {
  const stack = (router as unknown as { stack?: LayerLike[] }).stack;
  const methods = new Set<string>();
  if (Array.isArray(stack)) methodsFor(stack, path, methods);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * Put after the routes of `router`, before its 404: a request that reached it matched no route for its
 * method; when the path matches routes of other methods it gets 405 and `Allow`, otherwise it goes on.
 */
export function methodNotAllowed(router: Router): RequestHandler {
  return (req, res, next) => {
    const methods = allowedMethods(router, req.path);
    if (methods.length === 0 || methods.includes(req.method)) {
      next();
      return;
    }
    // OPTIONS itself never gets here: the router that owns the route answers it with its own Allow.
    res.set('Allow', [...methods, 'OPTIONS'].join(', '));
    throw new HttpError(
      'method_not_allowed',
      `${req.method} is not allowed here; use ${methods.join(' or ')}.`,
    );
  };
}
