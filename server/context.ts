/**
 * The application context handed to every route, service and CLI command: database, configuration
 * and logger. One small interface instead of module-level singletons, so tests build their own.
 */
import type { Config } from './config.js';
import type { Db } from '../geodata/db.js';

/** What every route and service gets: the database and the configuration. */
export interface AppContext {
  db: Db;
  config: Config;
  log: { info(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}
