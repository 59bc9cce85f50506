/**
 * The Zensus grid on the command line:
 *  - `sozialatlas import grid DIR|CSV --level L`: the 1-km cells into grid_cell (geodata/import/grid.ts);
 *  - `sozialatlas aggregate grid --to-level L [--method centroid|area]`: cells to observations of an
 *    area level (geodata/import/grid-aggregate.ts);
 *  - `sozialatlas harmonize --from-level A --to-level B --period P …`: values carried onto another
 *    geometry by areal interpolation (geodata/values/harmonize.ts).
 * Bad input prints the German message (file, row, field or what is missing) and exits with 1.
 * Registered after registerImportCli (it adds `grid` to the existing `import` command).
 */
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { ImportError } from '../../geodata/import/errors.js';
import { importGrid, type GridImportReport } from '../../geodata/import/grid.js';
import { aggregateGrid, type GridAggregateReport, type GridMethod } from '../../geodata/import/grid-aggregate.js';
import { progressBar } from '../../geodata/import/progress.js';
import { harmonize, type HarmonizeReport, type HarmonizeWeight } from '../../geodata/values/harmonize.js';

const de = (n: number, digits = 0) => n.toLocaleString('de-DE', { maximumFractionDigits: digits });

async function reportErrors<T>(run: () => Promise<T>, stop: () => void = () => undefined): Promise<T | undefined> {
  try {
    const r = await run();
    stop();
    return r;
  } catch (e) {
    stop();
    if (e instanceof ImportError) {
      console.error(`Fehler: ${e.message}`);
      console.error('Nichts wurde geschrieben.');
      process.exitCode = 1;
      return undefined;
    }
    throw e;
  }
}

export function registerGridCli(program: Command, openCtx: () => Promise<AppContext>): void {
  const imp = program.commands.find((c) => c.name() === 'import') ?? program.command('import');
  imp
    .command('grid <source>')
    .description(
      'Zensus-2022-Gitterzellen (1 km, EPSG:3035): Parquet-Ordner (_grid.parquet + continuous_*.parquet) oder CSV im amtlichen Aufbau; -1/-9 gelten als fehlend',
    )
    .requiredOption('--level <key>', 'Schlüssel der Gitterebene, z. B. z1km; ein erneuter Import ersetzt sie')
    .action(async (source: string, o: { level: string }) => {
      const ctx = await openCtx();
      const bar = progressBar('Zellen');
      const r = await reportErrors(() => importGrid(ctx.db, source, o, bar.onProgress), bar.stop);
      if (r) console.log(formatGridImport(r));
    });

  const agg = program.command('aggregate').description('Feinere Daten zu Gebieten einer Ebene zusammenfassen');
  agg
    .command('grid')
    .description(
      'Gitterzellen zu Kennzahlen einer Gebietsebene: Einwohner summiert, Anteile als Σ(Anteil·Einwohner)/ΣEinwohner, Mittel einwohnergewichtet',
    )
    .requiredOption('--to-level <key>', 'Gebietsebene, z. B. gemeinde')
    .option('--method <centroid|area>', 'Zelle ganz dem Gebiet ihres Mittelpunkts oder nach Flächenanteil', 'centroid')
    .option('--grid <key>', 'Gitterebene (Standard: die einzige importierte)')
    .option('--period <YYYY-MM-DD>', 'Stand der Werte (Standard: Zensus-Stichtag 2022-05-15)')
    .action(async (o: { toLevel: string; method: string; grid?: string; period?: string }) => {
      const ctx = await openCtx();
      const r = await reportErrors(() =>
        aggregateGrid(ctx.db, {
          toLevel: o.toLevel,
          method: o.method as GridMethod,
          gridLevel: o.grid,
          period: o.period,
        }),
      );
      if (r) console.log(formatGridAggregate(r));
    });

  program
    .command('harmonize')
    .description(
      'Werte einer Ebene auf eine andere Geometrie übertragen (Flächenschnitt in EPSG:3035): Anzahlen nach Flächen- oder Einwohneranteil geteilt, Quoten aus geteilten Zählern und Nennern; gespeichert als „geschätzt aus Ebene A“',
    )
    .requiredOption('--from-level <key>', 'Quellebene, z. B. plr2019')
    .requiredOption('--to-level <key>', 'Zielebene, z. B. plr')
    .requiredOption('--period <YYYY-MM-DD>', 'Stand der Werte')
    .option('--indicators <a,b>', 'nur diese Indikatoren (Standard: alle übertragbaren mit Werten)')
    .option('--weight <area|population>', 'Gewicht: Flächenanteil oder Einwohneranteil (Zensus-Gitter)', 'area')
    .option('--grid <key>', 'Gitterebene mit den Einwohnern (Standard: die einzige importierte)')
    .action(
      async (o: {
        fromLevel: string;
        toLevel: string;
        period: string;
        indicators?: string;
        weight: string;
        grid?: string;
      }) => {
        const ctx = await openCtx();
        const r = await reportErrors(() =>
          harmonize(ctx.db, {
            fromLevel: o.fromLevel,
            toLevel: o.toLevel,
            period: o.period,
            indicators: o.indicators
              ?.split(',')
              .map((k) => k.trim())
              .filter(Boolean),
            weight: o.weight as HarmonizeWeight,
            gridLevel: o.grid,
          }),
        );
        if (r) console.log(formatHarmonize(r));
      },
    );
}

export function formatHarmonize(r: HarmonizeReport): string {
  const lines = [
    `Ebene ${r.fromLevel} → ${r.toLevel}, Stand ${r.period}, Gewicht ${r.weight === 'area' ? 'Fläche' : 'Einwohner'}: ${de(r.pieces)} Schnittflächen`,
    ...Object.entries(r.written).map(([k, n]) => `  ${k}: ${de(n)} Werte geschätzt aus Ebene ${r.fromLevel}`),
  ];
  for (const w of r.warnings) lines.push(`Hinweis: ${w}`);
  return lines.join('\n');
}

export function formatGridImport(r: GridImportReport): string {
  const lines = [
    `${r.file}: ${de(r.cells)} Zellen (Gitterebene ${r.level})${r.replaced > 0 ? `, ${de(r.replaced)} bisherige ersetzt` : ''}`,
    `  bewohnt: ${de(r.populated)} Zellen mit zusammen ${de(r.population)} Einwohnern`,
    `  mit Wert: ${Object.entries(r.valid)
      .map(([k, n]) => `${k} ${de(n)}`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}

export function formatGridAggregate(r: GridAggregateReport): string {
  const lines = [
    `Gitter ${r.gridLevel} → Ebene ${r.level} (${r.method === 'centroid' ? 'Zellmittelpunkt' : 'Flächenanteil'}), Stand ${r.period}`,
    `  ${de(r.areas)} von ${de(r.areasTotal)} Gebieten mit Zellen, ${de(r.cells)} Zellen, ${de(r.population)} Einwohner, ${de(r.observations)} Werte`,
  ];
  if (r.cellsOutside > 0) {
    lines.push(
      `Hinweis: ${de(r.cellsOutside)} bewohnte Zellen (${de(r.populationOutside)} Einwohner) liegen in keinem Gebiet der Ebene`,
    );
  }
  return lines.join('\n');
}
