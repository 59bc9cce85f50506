/**
 * The `sozialatlas` command line: `serve` (the default for npm start), imports, analyses,
 * samples and reports. Every command opens the configured database (PGlite in the data
 * directory, or the server in DATABASE_URL), migrates it and runs the same services the API uses.
 */
import { Command } from 'commander';
import pino from 'pino';
import { configFromEnv, type Config } from './config.js';
import { openDb } from './db/open.js';
import type { AppContext } from './context.js';
import { modulesFor } from './cli/commands.js';
import { readSettings, writeSettings, SettingsBody } from './services/settings.js';
import { refreshValues } from '../geodata/values/refresh.js';

const program = new Command('sozialatlas')
  .description('Kleinräumiges Sozialmonitoring: Indikatoren, Sozialraumtypen und Hotspots auf PostGIS')
  .option('--data-dir <dir>', 'PGlite-Datenverzeichnis (Standard ./data/pglite, Umgebung SOZIALATLAS_DATA_DIR)')
  .option('--database-url <url>', 'PostgreSQL/PostGIS-Server statt PGlite (Umgebung DATABASE_URL)');

let ctxPromise: Promise<AppContext> | undefined;

/** Opens the database once per process; CLI commands and the server share this. */
function openCtx(): Promise<AppContext> {
  ctxPromise ??= (async () => {
    const opts = program.opts<{ dataDir?: string; databaseUrl?: string }>();
    const config: Config = { ...configFromEnv() };
    if (opts.dataDir) config.dataDir = opts.dataDir;
    if (opts.databaseUrl) config.databaseUrl = opts.databaseUrl;
    const log = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
    const db = await openDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      onIdleError: (err) =>
        log.warn({ err: err.message }, 'Datenbankverbindung vom Server beendet; sie wird neu aufgebaut'),
      onStaleLock: (message) => log.warn(message),
    });
    // The thresholds live in the setting table (the value engine reads them there); the environment
    // overrides them through the same schema as PUT /api/settings.
    if (config.suppressionThreshold !== undefined || config.coverageThreshold !== undefined) {
      const wanted = { suppressionThreshold: config.suppressionThreshold, coverageThreshold: config.coverageThreshold };
      const parsed = SettingsBody.safeParse(wanted);
      if (!parsed.success) {
        throw new Error(
          `SOZIALATLAS_SUPPRESSION_THRESHOLD / SOZIALATLAS_COVERAGE_THRESHOLD: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        );
      }
      const current = await readSettings(db);
      const changed = Object.entries(parsed.data).some(
        ([k, v]) => v !== undefined && current[k as keyof typeof current] !== v,
      );
      if (changed) await writeSettings(db, parsed.data);
    }
    // Imports recompute the read model in their own transaction; a change made any other way
    // (direct SQL, an older version's data directory) is caught up once per process here.
    const refreshed = await refreshValues(db);
    if (refreshed) log.info({ ms: Math.round(refreshed.ms) }, 'Werte aller Ebenen neu berechnet');
    return { db, config, log };
  })();
  return ctxPromise;
}

// Only the modules of the command being run are imported (server/cli/commands.ts): loading all of
// them cost a cold run about a second. Help and unknown words load every module, as before.
const registrars = await Promise.all(modulesFor(process.argv.slice(2)).map((m) => m.load()));
for (const register of registrars) register(program, openCtx);

program.hook('postAction', async (_this, action) => {
  // `serve` keeps running; every other command closes the database so the process can exit.
  if (action.name() !== 'serve' && ctxPromise) await (await ctxPromise).db.close();
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  console.error(`Fehler: ${(e as Error).message}`);
  process.exitCode = 1;
  // the context may itself have failed to open (e.g. the data directory is locked by another process)
  if (ctxPromise) await ctxPromise.then((c) => c.db.close()).catch(() => undefined);
}
