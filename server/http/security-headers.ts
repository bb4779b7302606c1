/**
 * helmet with a strict Content-Security-Policy: the page loads only its own external JS and CSS, so an
 * injected `<script>` or inline handler in a document or answer could never run.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        // 'self' covers the page's own ws:// and wss:// origin (CSP Level 3), and no other host.
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // upgrade-insecure-requests is left out on purpose: intranet deployments often serve plain HTTP.
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
