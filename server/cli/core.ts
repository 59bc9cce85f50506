/**
 * The core commands of the CLI: `serve` (the map and API, loading the sample into an empty
 * database), `sample berlin`, `coverage` (the data-gap report across levels) and `migrate`.
 * `serve` starts and stops honestly: a port it cannot open is an error with a non-zero exit code,
 * SIGTERM/SIGINT close the database (and release the data directory's lock), and the first start
 * is all-or-nothing.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { createApp } from '../app.js';
import { isEmpty, loadSample } from '../../geodata/sample/load.js';
import { coverage, importedGaps } from '../services/area-values.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { computeDefaultTypology } from '../services/typology.js';
import { computeDefaultHotspots } from '../services/hotspot-default-runs.js';
import { inOneTransaction } from '../../geodata/one-transaction.js';
import { formatDecimal } from '../../analysis/number-format.js';
import { guarded } from './guard.js';
import { badRequest } from '../http/errors.js';
import { firstAdminAtStart } from './accounts.js';

/** Advisory lock key of the first start: two processes on one empty server database load the sample once. */
const FIRST_START_LOCK = 7_301_202_613;

/**
 * Prepares a fresh database: the Berlin sample, the default typology and the default hotspot runs,
 * so the map, the types and the hotspot map have content from the first minute. All of it is ONE
 * transaction: a kill or an error part-way leaves the database empty, and the next start begins
 * again (issue 13: a kill used to leave 685 areas without values for good). `signal` aborts at
 * the next step (SIGTERM during the first start), which rolls everything back. Returns true when
 * it loaded the sample.
 */
export async function prepareFirstStart(ctx: AppContext, signal?: AbortSignal): Promise<boolean> {
  if (!ctx.config.loadSample || !(await isEmpty(ctx.db))) return false;
  const t0 = Date.now();
  ctx.log.info(
    'Erster Start: Beispieldaten, Standard-Typisierung und Hotspot-Analysen werden in einer Transaktion geladen ' +
      '(bricht der Start ab, bleibt die Datenbank leer und der nächste Start beginnt von vorn)',
  );
  return inOneTransaction(ctx.db, async (db) => {
    // a second process on the same (server) database waits here and then finds the sample loaded
    await db.query('SELECT pg_advisory_xact_lock($1)', [FIRST_START_LOCK]);
    if (!(await isEmpty(db))) return false;
    // one long transaction with pauses while the typology computes in its worker
    await db.query("SELECT set_config('statement_timeout', '0', true)");
    await db.query("SELECT set_config('idle_in_transaction_session_timeout', '0', true)");
    const txCtx: AppContext = { ...ctx, db };
    await loadSample(db, (step) => {
      signal?.throwIfAborted();
      ctx.log.info(`Beispieldaten Berlin MSS 2021: ${step} …`);
    });
    ctx.log.info(`Beispieldaten geladen in ${formatDecimal((Date.now() - t0) / 1000, 1)} s`);
    signal?.throwIfAborted();
    const t1 = Date.now();
    await computeDefaultTypology(txCtx);
    ctx.log.info(`Standard-Typisierung berechnet in ${formatDecimal((Date.now() - t1) / 1000, 1)} s`);
    const t2 = Date.now();
    const runs = await computeDefaultHotspots(
      db,
      (indicator, runId) => ctx.log.info({ runId, indicator }, `Hotspot-Analyse ${indicator} gespeichert`),
      signal,
    );
    ctx.log.info(
      `${runs.length} Hotspot-Analysen (Gi*, LISA) berechnet in ${formatDecimal((Date.now() - t2) / 1000, 1)} s`,
    );
    signal?.throwIfAborted();
    return true;
  });
}

/** How long running requests may finish after SIGTERM/SIGINT before the database is closed anyway. */
const STOP_GRACE_MS = 10_000;

/** A listen error in words: which port, why, and what to do. */
function listenErrorMessage(err: NodeJS.ErrnoException, port: number): string {
  if (err.code === 'EADDRINUSE')
    return `Port ${port} ist bereits belegt (EADDRINUSE): läuft Sozialatlas oder ein anderer Dienst schon? Einen anderen Port mit --port N oder PORT=N wählen.`;
  if (err.code === 'EACCES')
    return `Keine Berechtigung, Port ${port} zu öffnen (EACCES): Ports unter 1024 brauchen Administratorrechte; einen Port ab 1024 wählen (--port N oder PORT=N).`;
  return `Der Server konnte Port ${port} nicht öffnen (${err.code ?? 'Fehler'}): ${err.message}`;
}

/** serve, sample berlin, coverage, migrate. */
export function registerCoreCli(program: Command, openCtx: () => Promise<AppContext>): void {
  program
    .command('serve', { isDefault: true })
    .description(
      'Startet den Server (Karte unter http://localhost:PORT); lädt in eine leere Datenbank die Berliner Beispieldaten',
    )
    .option('--port <n>', 'Port (Standard 8080, Umgebung PORT)')
    .action(async (o: { port?: string }) => {
      const ctx = await openCtx();
      // SIGTERM/SIGINT: stop taking requests, let running ones finish, close the database (which
      // also releases the data directory's lock) and exit 0. During the first start the signal
      // aborts its transaction at the next step instead. A second signal exits at once.
      const stopping = new AbortController();
      const running: { server?: Server } = {};
      let closing = false;
      const closeAndExit = async (code: number) => {
        if (closing) return;
        closing = true;
        await ctx.db
          .close()
          .catch((e: unknown) => ctx.log.error({ err: (e as Error).message }, 'Schließen der Datenbank'));
        process.exit(code);
      };
      const stop = (signal: NodeJS.Signals) => {
        if (stopping.signal.aborted) {
          ctx.log.error(`${signal} erneut: sofort beendet`);
          process.exit(1);
        }
        stopping.abort(new Error(`${signal}: Start abgebrochen`));
        if (!running.server) {
          ctx.log.info(`${signal}: der erste Start wird abgebrochen, die Datenbank bleibt leer`);
          return;
        }
        ctx.log.info(`${signal}: Sozialatlas wird beendet`);
        running.server.close(() => void closeAndExit(0));
        running.server.closeIdleConnections();
        // a request that does not end within the grace period does not keep the process alive
        setTimeout(() => {
          ctx.log.info(`Anfragen laufen nach ${STOP_GRACE_MS / 1000} s noch; die Datenbank wird trotzdem geschlossen`);
          void closeAndExit(0);
        }, STOP_GRACE_MS).unref();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);

      try {
        await prepareFirstStart(ctx, stopping.signal);
      } catch (e) {
        if (!stopping.signal.aborted) throw e;
        await closeAndExit(0);
        return;
      }
      if (stopping.signal.aborted) return void (await closeAndExit(0));
      // the first admin: from SOZIALATLAS_ADMIN_USER/_PASSWORD, or a one-time setup link printed below
      const setupMessage = await firstAdminAtStart(ctx);
      // Like Jupyter: without a configured token and before the first account exists, a fresh random
      // one is printed once, so the person who started the server can write from the browser, and
      // nobody else. Once accounts exist, writes go through logins and personal API tokens.
      const generatedToken = !ctx.config.apiToken && setupMessage !== null;
      if (generatedToken) ctx.config.apiToken = randomBytes(18).toString('base64url');
      const port = Number(o.port ?? ctx.config.port);
      const app = createApp(ctx);
      const server = createServer(app);
      running.server = server;
      const onListenError = (err: NodeJS.ErrnoException) => {
        // port in use, no permission: say so and fail, never "läuft" with exit code 0
        ctx.log.error({ code: err.code }, listenErrorMessage(err, port));
        void closeAndExit(1);
      };
      server.once('error', onListenError);
      server.listen(port, () => {
        server.off('error', onListenError);
        server.on('error', (err) => ctx.log.error({ err: err.message }, 'Fehler des HTTP-Servers'));
        ctx.log.info(
          `Sozialatlas läuft auf http://localhost:${port} (${ctx.db.kind === 'pg' ? 'PostgreSQL-Server' : `PGlite in ${ctx.config.dataDir}`})`,
        );
        if (setupMessage) console.error(setupMessage);
        if (generatedToken) {
          console.error(
            `\nToken für Schreibzugriffe (Läufe, Importe) in dieser Sitzung: ${ctx.config.apiToken}\n` +
              'Im Browser unter „Forschung“ eintragen; feste Tokens mit SOZIALATLAS_TOKEN setzen.\n',
          );
        }
      });
    });

  program
    .command('migrate')
    .description('Wendet die Migrationen in sql/ an (geschieht auch bei jedem Start)')
    .action(async () => {
      await openCtx();
      console.log('Datenbank ist auf dem neuesten Stand');
    });

  // `sample germany` is registered by the monitoring CLI under the same parent command.
  const sample =
    program.commands.find((c) => c.name() === 'sample') ?? program.command('sample').description('Beispieldaten laden');
  sample
    .command('berlin')
    .description('Lädt die Berliner Beispieldaten (MSS 2021); geschieht beim ersten Start von selbst')
    .action(async () => {
      const ctx = await openCtx();
      const reports = await loadSample(ctx.db, (s) => console.error(`… ${s}`));
      for (const r of reports)
        console.log(
          `${r.kind} ${r.level ?? ''}: ${r.added} neu, ${r.replaced} ersetzt${r.repaired.length ? `, ${r.repaired.length} repariert` : ''}`,
        );
    });

  program
    .command('coverage')
    .description(
      'Datenlücken je Indikator × Zeitraum × Ebene: Werte, fehlende, geheim gehaltene (Einwohnerzahl / Schutz vor Rückrechnung), ' +
        'importiert, summiert oder per Formel, niedrigste Abdeckung, unvollständige; mit --gaps je Gebiet die Abweichung importiert − summiert',
    )
    .option('--level <level>')
    .option('--period <YYYY-MM-DD>')
    .option('--indicator <key>')
    .option(
      '--gaps',
      'je Gebiet: importierter Wert gegen die Summe der Teilgebiete (Anschlussfähigkeit; braucht --level, --indicator, --period)',
    )
    .option('--json', 'als JSON ausgeben')
    .action(async (o: { level?: string; period?: string; indicator?: string; gaps?: boolean; json?: boolean }) => {
      const ctx = await openCtx();
      await guarded(async () => {
        await refreshValues(ctx.db);
        if (o.gaps) {
          if (!o.level || !o.indicator || !o.period)
            throw badRequest('--gaps braucht --level, --indicator und --period');
          const rows = await importedGaps(ctx.db, o.level, o.indicator, o.period);
          if (o.json) console.log(JSON.stringify(rows, null, 2));
          else if (rows.length === 0) console.log('Keine Gebiete mit eigenem und summiertem Wert');
          else console.table(rows);
          return;
        }
        const rows = await coverage(ctx.db, o);
        if (o.json) console.log(JSON.stringify(rows, null, 2));
        else console.table(rows);
      });
    });
}
