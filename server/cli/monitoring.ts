/**
 * `sozialatlas change`, `sozialatlas index`, `sozialatlas sample germany`: the monitoring
 * services on the command line. The flags of change and index are mapped to the query objects of
 * GET /api/change and GET /api/index and parsed with the same schemas (routes/monitoring.ts), so
 * bad input prints the same message as the API and exits 2.
 */
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { guarded } from './guard.js';
import { computeChange } from '../services/indicator-change.js';
import { computeStatusIndex } from '../services/status-index.js';
import { formatGermanyGrid, loadGermanySample } from '../../geodata/sample/germany.js';
import { toCsv } from '../../geodata/export/csv.js';
import { formatDecimal } from '../../analysis/number-format.js';
import { parseOr400 } from '../http/validate.js';
import { ChangeQuery, IndexQuery } from '../routes/monitoring.js';

const fmt = (v: number | null, d = 2) => formatDecimal(v, d);

export function registerMonitoringCli(program: Command, openCtx: () => Promise<AppContext>): void {
  program
    .command('change')
    .description(
      'Veränderung eines Indikators zwischen zwei Zeiträumen je Gebiet (absolut, bei Quoten in Prozentpunkten; relativ in %)',
    )
    .requiredOption('--indicator <key>', 'Indikator')
    .requiredOption('--level <key>', 'Ebene')
    .requiredOption('--from <YYYY-MM-DD>', 'Zeitraum von')
    .requiredOption('--to <YYYY-MM-DD>', 'Zeitraum bis')
    .option('--json', 'JSON statt CSV ausgeben (Standard: CSV)')
    .action(async (o: { indicator: string; level: string; from: string; to: string; json?: boolean }) =>
      guarded(async () => {
        const q = parseOr400(ChangeQuery, { indicator: o.indicator, level: o.level, from: o.from, to: o.to });
        const ctx = await openCtx();
        const r = await computeChange(ctx.db, q);
        if (o.json) {
          process.stdout.write(JSON.stringify(r, null, 2) + '\n');
          return;
        }
        process.stdout.write(
          toCsv(
            ['code', 'name', 'from', 'to', 'absolute', 'relative', 'direction', 'comparable', 'note'],
            r.members.map((m) => ({ ...m })),
          ),
        );
        const s = r.summary;
        process.stderr.write(
          `${r.indicator} ${r.from} → ${r.to} auf ${r.level}: ${s.n} Gebiete, ${s.worsened} verschlechtert, ${s.improved} verbessert, ` +
            `Mittel ${fmt(s.meanAbsolute)} ${r.absoluteUnit ?? ''}, ${s.notComparable} nicht vergleichbar\n`,
        );
      }),
    );

  program
    .command('index')
    .description('Status- und Dynamik-Index nach MSS-Methode')
    .requiredOption('--level <key>', 'Ebene')
    .requiredOption('--period <YYYY-MM-DD>', 'Zeitraum')
    .option('--status <keys>', 'Status-Indikatoren (Standard S1,S3,S4)')
    .option('--dynamics <keys>', 'Dynamik-Indikatoren (Standard D1,D3,D4)')
    .option('--status-cutoffs <a,b,c>', 'Grenzen hoch/niedrig/sehr niedrig (Standard -1,1,1.5)')
    .option('--dynamics-cutoffs <a,b>', 'Grenzen positiv/negativ (Standard -1,1)')
    .option(
      '--json',
      'JSON ausgeben: members [{code, statusZ, statusClass, dynamicsZ, dynamicsClass, combinedClass}] (Standard: Tabelle)',
    )
    .action(
      async (o: {
        level: string;
        period: string;
        status?: string;
        dynamics?: string;
        statusCutoffs?: string;
        dynamicsCutoffs?: string;
        json?: boolean;
      }) =>
        guarded(async () => {
          const q = parseOr400(IndexQuery, {
            level: o.level,
            period: o.period,
            status: o.status,
            dynamics: o.dynamics,
            statusCutoffs: o.statusCutoffs,
            dynamicsCutoffs: o.dynamicsCutoffs,
          });
          const ctx = await openCtx();
          const r = await computeStatusIndex(ctx.db, {
            level: q.level,
            period: q.period,
            status: q.status,
            dynamics: q.dynamics,
            statusCutoffs: q.statusCutoffs
              ? { high: q.statusCutoffs[0], low: q.statusCutoffs[1], veryLow: q.statusCutoffs[2] }
              : undefined,
            dynamicsCutoffs: q.dynamicsCutoffs
              ? { positive: q.dynamicsCutoffs[0], negative: q.dynamicsCutoffs[1] }
              : undefined,
          });
          if (o.json) {
            process.stdout.write(JSON.stringify(r, null, 2) + '\n');
            return;
          }
          process.stdout.write(
            toCsv(
              ['code', 'name', 'statusZ', 'statusClass', 'dynamicsZ', 'dynamicsClass', 'combinedClass', 'reason'],
              r.members.map((m) => ({ ...m })),
            ),
          );
          process.stderr.write(
            `Status: ${JSON.stringify(r.counts.status)} · Dynamik: ${JSON.stringify(r.counts.dynamics)} · ohne Zuordnung: ${r.counts.invalid}\n`,
          );
        }),
    );

  const sample =
    program.commands.find((c) => c.name() === 'sample') ?? program.command('sample').description('Beispieldaten laden');
  sample
    .command('germany')
    .description('GISD 1998–2021 je Kreis (24 Zeiträume) mit VG5000-Ländern, -Kreisen und -Gemeinden laden')
    .requiredOption('--path <dir>', 'Ordner germany-kreise-gisd (mit geometry/ und indicators/)')
    .option('--no-gemeinden', 'die 10 997 Gemeinden nicht laden (Standard: laden)')
    .option(
      '--grid <dir>',
      'Zensus-2022-1-km-Gitter (Parquet-Ordner oder CSV) zu Gemeinden, Kreisen, Ländern (Standard: keins)',
    )
    .action(async (o: { path: string; gemeinden: boolean; grid?: string }) => {
      const ctx = await openCtx();
      const reports = await loadGermanySample(ctx.db, o.path, {
        gemeinden: o.gemeinden,
        grid: o.grid,
        onGrid: (g) => process.stderr.write(formatGermanyGrid(g).join('\n') + '\n'),
        onStep: (s) => process.stderr.write(`… ${s}\n`),
      });
      for (const r of reports)
        process.stderr.write(
          `${r.kind} ${r.level ?? ''}: ${r.total} (neu ${r.added}, ersetzt ${r.replaced})${r.warnings.length ? `, ${r.warnings.length} Hinweise` : ''}\n`,
        );
    });
}
