/**
 * Security headers of the app, the profile pages and the API (helmet). The Content-Security-Policy
 * fits the built client: scripts only from the own origin (Vite emits module files, no inline
 * script), data and tiles from the own origin, basemap images only from the configured origins
 * (config.basemapOrigins), so a shared link's `#grundkarte=` cannot make the browser fetch from
 * any host. Inline styles stay allowed: Observable Plot writes a <style> element into its charts,
 * legend swatches carry a style attribute, and the profile pages embed their print CSS.
 *
 * Framing is refused (frame-ancestors 'none', X-Frame-Options DENY) unless config.frameAncestors
 * names who may embed the app. Referrer-Policy strict-origin-when-cross-origin: other hosts see
 * only the origin, which tile servers such as OpenStreetMap's require. No HSTS and no
 * upgrade-insecure-requests: the service often runs on plain HTTP in an intranet; HSTS belongs to
 * the TLS proxy in front of it.
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';

/** The CSP directives, exported for the tests. */
export function cspDirectives(config: Pick<Config, 'basemapOrigins' | 'frameAncestors'>): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...config.basemapOrigins],
    'connect-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': config.frameAncestors,
  };
}

/** helmet with the policy above. */
export function securityHeaders(config: Pick<Config, 'basemapOrigins' | 'frameAncestors'>): RequestHandler {
  const noFraming = config.frameAncestors.length === 1 && config.frameAncestors[0] === "'none'";
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config) },
    // Embedding allowed by CSP frame-ancestors must not be refused by the older header.
    xFrameOptions: noFraming ? { action: 'deny' } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: false,
  });
}
