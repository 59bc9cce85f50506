/**
 * `sozialatlas import points FILE --layer KEY --label TEXT --period YYYY-MM-DD …`: a point layer
 * ("Georessource") from GeoJSON, Shapefile or CSV (geodata/import/points.ts) with a progress bar
 * and a German report (added / removed / moved points, points outside every area, warnings).
 * Bad input prints the importer's message (file, feature, field, value) and exits non-zero.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { AppContext } from '../context.js';
import { ImportError } from '../../geodata/import/errors.js';
import { importPoints, type PointImportReport } from '../../geodata/import/points.js';
import { progressBar } from '../../geodata/import/progress.js';

/** Adds `points <file>` to the `import` command. */
export function registerPointImportCli(imp: Command, openCtx: () => Promise<AppContext>): void {
  imp
    .command('points <file>')
    .description(
      'Punktlayer (Georessource, z. B. Kitas) aus GeoJSON (Point/MultiPoint), Shapefile oder CSV mit x/y- oder WKT-Spalte; alle Attribute bleiben erhalten',
    )
    .requiredOption('--layer <key>', 'Schlüssel des Layers, in Formeln genannt: count(kitas), sum(kitas.e_platz)')
    .requiredOption('--period <YYYY-MM-DD>', 'Stand der Daten; ein erneuter Import desselben Stands ersetzt ihn')
    .option('--label <text>', 'Bezeichnung, z. B. Kindertagesstätten (Standard: der Schlüssel)')
    .option('--id-field <field>', 'Feld mit der eindeutigen Kennung (Standard: laufende Nummer)')
    .option('--name-field <field>', 'Feld mit dem Namen der Einrichtung')
    .option('--address <template>', 'Adresse aus Feldern, z. B. "{e_strasse} {e_hnr}, {e_plz} Berlin"')
    .option('--attribution <text>', 'Quellenangabe und Lizenz')
    .option(
      '--srid <n>',
      'EPSG-Code der Koordinaten (Standard: aus der Datei; CSV ohne Angabe: WGS 84)',
      (v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n)) throw new InvalidArgumentError(`--srid erwartet eine ganze Zahl, nicht "${v}"`);
        return n;
      },
    )
    .action(
      async (
        file: string,
        o: {
          layer: string;
          period: string;
          label?: string;
          idField?: string;
          nameField?: string;
          address?: string;
          attribution?: string;
          srid?: number;
        },
      ) => {
        const ctx = await openCtx();
        const bar = progressBar('Punkte');
        let report: PointImportReport;
        try {
          report = await importPoints(ctx.db, file, o, bar.onProgress);
        } catch (e) {
          bar.stop();
          if (e instanceof ImportError) {
            console.error(`Fehler: ${e.message}`);
            console.error('Nichts wurde geschrieben.');
            process.exitCode = 1;
            return;
          }
          throw e;
        }
        bar.stop();
        console.log(formatPointReport(report));
      },
    );
}

/** The German report of a point import. */
export function formatPointReport(r: PointImportReport): string {
  const some = (ids: string[], n: number) => (n > ids.length ? `${ids.join(', ')} …` : ids.join(', '));
  const lines = [`${r.file}: ${r.total} Punkte (Layer ${r.layer}, Stand ${r.period}, aus EPSG:${r.srid})`];
  const changed = r.added + r.removed + r.moved;
  if (r.removed + r.moved + r.unchanged > 0) {
    lines.push(
      changed === 0
        ? `Stand ersetzt: unverändert (${r.unchanged} Punkte)`
        : `Stand ersetzt: ${r.added} neu, ${r.removed} entfallen, ${r.moved} verschoben (> 1 m), ${r.unchanged} unverändert`,
    );
    if (r.added > 0) lines.push(`  neu: ${some(r.addedIds, r.added)}`);
    if (r.removed > 0) lines.push(`  entfallen: ${some(r.removedIds, r.removed)}`);
    if (r.moved > 0) lines.push(`  verschoben: ${some(r.movedIds, r.moved)}`);
  }
  for (const w of r.warnings) lines.push(`Hinweis: ${w}`);
  return lines.join('\n');
}
