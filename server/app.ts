/**
 * The express application: security headers, tiles first (the hot path), then the per-client
 * limits, the JSON API routers and the profile pages, the OpenAPI document, the built client with
 * deep links, and the shared error handler. Kept free of listening and process setup (main.ts
 * does that) so tests can drive it in memory.
 */
import express from 'express';
import { fileURLToPath } from 'node:url';
import type { AppContext } from './context.js';
import { errorHandler, notFound } from './http/errors.js';
import { rejectNul } from './http/reject-nul.js';
import { securityHeaders } from './http/security-headers.js';
import { authFailureLimiter, downloadLimiter, runLimiter } from './http/rate-limits.js';
import { abortWhenClientGone } from './http/request-abort.js';
import { clientStatic } from './http/static-client.js';
import { areasRoutes, areasPaths } from './routes/areas.js';
import { typologiesRoutes, typologiesPaths } from './routes/typologies.js';
import { hotspotsRoutes, hotspotsPaths } from './routes/hotspots.js';
import { weightsRoutes, weightsPaths } from './routes/weights.js';
import { jobsRoutes, jobsPaths } from './routes/jobs.js';
import { tilesRoutes } from './routes/tiles.js';
import { tilesPaths } from './routes/tiles-openapi.js';
import { monitoringRoutes, monitoringPaths } from './routes/monitoring.js';
import { warningRulesRoutes, warningRulesPaths } from './routes/warning-rules.js';
import { profilesRoutes, profilesPaths } from './routes/profiles.js';
import { handoutRoutes, handoutPaths } from './routes/handout.js';
import { settingsRoutes, settingsPaths } from './routes/settings.js';
import { pointsRoutes, pointsPaths } from './routes/points.js';
import { importsRoutes, importsPaths } from './routes/imports.js';
import { indicatorsEditRoutes, indicatorsEditPaths } from './routes/indicators-edit.js';
import { openApiDocument } from './openapi.js';
import { responseCache } from './http/response-cache.js';
import { requestQueue } from './http/queue.js';
import { auditWrites, privateGate, resolveActor } from './http/actor.js';
import { accountsRoutes, accountsPaths } from './routes/accounts.js';
import { oidcRoutes, oidcPaths } from './routes/oidc.js';

const CLIENT_DIST = fileURLToPath(new URL('../client/dist/', import.meta.url));

/** The express app: JSON API under /api, tiles under /tiles, the built client at /. */
export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // tiles and data set their own ETags
  app.use(rejectNul());
  app.use(securityHeaders(ctx.config));
  // Who is calling (token, API token or session cookie), before any route; the internal mode's gate.
  app.use(authFailureLimiter(ctx.config.rateLimits));
  // Single sign-on needs no login (also in the internal mode) and writes its own audit entry.
  app.use(oidcRoutes(ctx));
  app.use(resolveActor(ctx), privateGate(ctx), auditWrites(ctx));
  // Tiles first: they are the hot path (thousands a second) and need neither body parsing nor the API routers.
  app.use(pointsRoutes(ctx)); // before the area tiles: it serves /tiles/points/…
  app.use(tilesRoutes(ctx));
  app.use(['/api', '/profile'], express.json({ limit: '2mb' }));
  const limits = ctx.config.rateLimits;
  app.post(['/api/typologies', '/api/hotspots'], runLimiter(limits));
  app.use(downloadLimiter(limits));

  const paths = {
    ...areasPaths,
    ...typologiesPaths,
    ...jobsPaths,
    ...hotspotsPaths,
    ...weightsPaths,
    ...tilesPaths,
    ...monitoringPaths,
    ...warningRulesPaths,
    ...profilesPaths,
    ...handoutPaths,
    ...settingsPaths,
    ...pointsPaths,
    ...importsPaths,
    ...indicatorsEditPaths,
    ...accountsPaths,
    ...oidcPaths,
  };
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument(paths));
  });
  // Read path (issue 13): cached answers by data version first, then a bounded queue in front of the database.
  app.use(['/api', '/profile'], responseCache(ctx.db), requestQueue(ctx.db.kind));
  // Last before the routes: a run whose client has gone is dropped or stopped (http/request-abort.ts).
  app.use(['/api', '/profile'], abortWhenClientGone());
  app.use(accountsRoutes(ctx));
  app.use(importsRoutes(ctx));
  app.use(indicatorsEditRoutes(ctx));
  app.use(areasRoutes(ctx));
  app.use(typologiesRoutes(ctx));
  app.use(jobsRoutes(ctx));
  app.use(hotspotsRoutes(ctx));
  app.use(weightsRoutes(ctx));
  app.use(monitoringRoutes(ctx));
  app.use(warningRulesRoutes(ctx));
  app.use(profilesRoutes(ctx));
  app.use(handoutRoutes(ctx));
  app.use(settingsRoutes(ctx));

  app.use(['/api', '/tiles', '/profile'], (req, _res, next) => {
    next(notFound(`Unbekannter Pfad: ${req.method} ${req.originalUrl}`));
  });
  app.use(clientStatic(CLIENT_DIST));
  app.use(errorHandler((err) => ctx.log.error({ err }, 'unhandled error')));
  return app;
}
