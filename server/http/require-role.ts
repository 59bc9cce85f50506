/**
 * The one place write routes ask for permission: `requireRole(ctx, 'editor')` for imports, runs,
 * publishing and rules, `requireRole(ctx, 'admin')` for settings. Today both accept the configured
 * bearer token (SOZIALATLAS_TOKEN, an admin token); accounts and sessions plug in here, so no route
 * has to change when they do.
 */
import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { requireToken } from './auth.js';

/** Roles in ascending order of rights: viewer reads public data, editor writes data, admin administers. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Guards a state-changing route: the caller must hold at least `role`. */
export function requireRole(ctx: AppContext, role: Exclude<Role, 'viewer'>): RequestHandler {
  void role; // the single token is an admin token: it satisfies every role
  return requireToken(ctx.config.apiToken);
}
