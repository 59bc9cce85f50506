/**
 * The core commands of the CLI: `serve` (the map and API, loading the sample into an empty
 * database), `sample berlin`, `coverage` (the data-gap report across levels) and `migrate`.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { createApp } from '../app.js';
import { isEmpty, loadSample } from '../../geodata/sample/load.js';
import { coverage, importedGaps } from '../services/area-values.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { computeDefaultTypology } from '../services/typology.js';
import { formatDecimal } from '../../analysis/number-format.js';
import { guarded } from './guard.js';
import { badRequest } from '../http/errors.js';

/** Prepares a fresh database: the Berlin sample and a default typology, so the map has content from the first minute. */
export async function prepareFirstStart(ctx: AppContext): Promise<void> {
  if (!ctx.config.loadSample || !(await isEmpty(ctx.db))) return;
  const t0 = Date.now();
  await loadSample(ctx.db, (step) => ctx.log.info(`Beispieldaten Berlin MSS 2021: ${step} …`));
  ctx.log.info(`Beispieldaten geladen in ${formatDecimal((Date.now() - t0) / 1000, 1)} s`);
  const t1 = Date.now();
  await computeDefaultTypology(ctx);
  ctx.log.info(`Standard-Typisierung berechnet in ${formatDecimal((Date.now() - t1) / 1000, 1)} s`);
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
      await prepareFirstStart(ctx);
      // Like Jupyter: without a configured token, a fresh random one is printed once, so the person
      // who started the server can run typologies and imports from the browser, and nobody else.
      const generatedToken = !ctx.config.apiToken;
      if (generatedToken) ctx.config.apiToken = randomBytes(18).toString('base64url');
      const port = Number(o.port ?? ctx.config.port);
      const app = createApp(ctx);
      const server = app.listen(port, () => {
        ctx.log.info(
          `Sozialatlas läuft auf http://localhost:${port} (${ctx.db.kind === 'pg' ? 'PostgreSQL-Server' : `PGlite in ${ctx.config.dataDir}`})`,
        );
        if (generatedToken) {
          console.error(
            `\nToken für Schreibzugriffe (Läufe, Importe) in dieser Sitzung: ${ctx.config.apiToken}\n` +
              'Im Browser unter „Forschung“ eintragen; feste Tokens mit SOZIALATLAS_TOKEN setzen.\n',
          );
        }
      });
      const stop = () => {
        server.close();
        void ctx.db.close().finally(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
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
