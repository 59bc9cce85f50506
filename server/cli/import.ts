/**
 * `sozialatlas import areas|indicators|meta` and `sozialatlas levels derive`: thin wrappers around
 * the importer library (geodata/import) with a progress bar and a German report; bad input prints
 * the importer's message and exits non-zero, nothing written.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { AppContext } from '../context.js';
import {
  importAreas,
  importIndicators,
  importMeta,
  ImportError,
  type AreaChanges,
  type ImportReport,
} from '../../geodata/import/index.js';
import { progressBar } from '../../geodata/import/progress.js';
import { deriveLevel } from '../../geodata/import/derive-level.js';
import { registerPointImportCli } from './points.js';
import { registerAddressImportCli } from './addresses.js';
import { runRemoteImport } from './import-remote.js';

/**
 * `sozialatlas import areas|indicators|meta`: thin wrappers around the importer
 * library. Each prints a short report; on bad input it prints the importer's
 * message (file, row/feature, field, value) and exits non-zero.
 */
export function registerImportCli(program: Command, openCtx: () => Promise<AppContext>): void {
  const imp = program.command('import').description('Importiert Gebiete, Indikatorwerte oder Indikator-Definitionen');

  imp
    .command('areas <file>')
    .description('Gebiete einer Ebene aus GeoJSON, Shapefile (.shp mit .dbf/.prj) oder CSV mit WKT-Spalte')
    .requiredOption('--level <key>', 'Ebene, z. B. plr')
    .requiredOption('--code-field <field>', 'Feld mit dem Gebietsschlüssel (wird als Text gelesen)')
    .option('--name-field <field>', 'Feld mit dem Gebietsnamen (Standard: keiner)')
    .option('--level-label <label>', 'Bezeichnung einer neuen Ebene (Standard: der Schlüssel)')
    .option('--parent-level <key>', 'übergeordnete Ebene (muss existieren)')
    .option('--parent-field <field>', 'Feld mit dem Schlüssel des übergeordneten Gebiets')
    .option(
      '--parent-code-prefix <n>',
      'übergeordneter Schlüssel = die ersten n Zeichen des Schlüssels',
      toInt('--parent-code-prefix'),
    )
    .option(
      '--srid <n>',
      'EPSG-Code der Koordinaten (Standard: aus der Datei; nötig bei Shapefile ohne .prj und CSV mit projizierten Koordinaten)',
      toInt('--srid'),
    )
    .option(
      '--valid-from <YYYY-MM-DD>',
      'erneuter Import: ab diesem Tag gelten geänderte Geometrien und neue Schlüssel (Eintrag im Änderungsregister; Standard: Tag nach dem letzten Stichtag der Ebene, ohne Werte heute)',
    )
    .action(
      async (
        file: string,
        o: {
          level: string;
          codeField: string;
          nameField?: string;
          levelLabel?: string;
          parentLevel?: string;
          parentField?: string;
          parentCodePrefix?: number;
          srid?: number;
          validFrom?: string;
        },
      ) => {
        await run(openCtx, 'Gebiete', (ctx, onProgress) => importAreas(ctx.db, file, o, onProgress));
      },
    );

  imp
    .command('indicators <file>')
    .description(
      'Indikatorwerte aus CSV: breit (eine Spalte je Indikator, --period nötig) oder lang (code, indicator, period, value[, numerator, denominator])',
    )
    .requiredOption('--level <key>', 'Ebene der Gebiete')
    .requiredOption('--code-field <field>', 'Spalte mit dem Gebietsschlüssel')
    .option('--period <YYYY-MM-DD>', 'Stichtag (breites Format; im langen Format Standard für leere period-Zellen)')
    .option('--columns <a,b>', 'Indikatorspalten (Standard: alle Zahlenspalten außer dem Schlüssel)', list)
    .option(
      '--missing <codes>',
      'Codes für fehlende Werte, z. B. -9999,-1 (Standard: -9999,-99999; leere Zellen fehlen immer)',
      list,
    )
    .option('--delimiter <char>', 'Feldtrenner (Standard: aus der Kopfzeile erkannt)')
    .option('--decimal <char>', "Dezimaltrennzeichen '.' oder ',' (Standard '.')")
    .option('--allow-many', 'mehr als 500 neue Indikatoren in einem Import erlauben')
    .option('--server <url>', 'an einen laufenden Server senden statt in die lokale Datenbank (Standard: lokal)')
    .option('--token <token>', 'Token für --server (Standard: SOZIALATLAS_TOKEN)')
    .action(
      async (
        file: string,
        o: {
          level: string;
          codeField: string;
          period?: string;
          columns?: string[];
          missing?: string[];
          delimiter?: string;
          decimal?: string;
          allowMany?: boolean;
          server?: string;
          token?: string;
        },
      ) => {
        const delimiter = o.delimiter === '\\t' || o.delimiter === 'tab' ? '\t' : o.delimiter;
        if (o.server) {
          const { server, token, allowMany: _many, ...rest } = o;
          const opts = { ...rest, delimiter, decimal: o.decimal as '.' | ',' | undefined };
          await runRemoteImport(file, opts, { url: server, token: token ?? process.env.SOZIALATLAS_TOKEN ?? '' });
          return;
        }
        await run(openCtx, 'Indikatorwerte', (ctx, onProgress) =>
          importIndicators(ctx.db, file, { ...o, delimiter, decimal: o.decimal as '.' | ',' | undefined }, onProgress),
        );
      },
    );

  imp
    .command('meta <file>')
    .description(
      'Indikator-Definitionen (CSV mit ; oder , oder JSON-Array): key, label, unit, topic, polarity, description, target, target_direction, kind, scale, numerator, denominator, sort_order, formula, visibility, weight_indicator',
    )
    .option('--allow-many', 'mehr als 500 neue Indikatoren in einem Import erlauben')
    .action(async (file: string, o: { allowMany?: boolean }) => {
      await run(openCtx, 'Indikatoren', (ctx) => importMeta(ctx.db, file, { allowMany: o.allowMany }));
    });

  registerPointImportCli(imp, openCtx);
  registerAddressImportCli(imp, openCtx);
}

/**
 * `sozialatlas levels derive`: a coarser level by code prefix, dissolved in PostGIS
 * (geodata/import/derive-level.ts), e.g. Bezirk from the first two digits of the LOR codes.
 */
export function registerLevelsCli(program: Command, openCtx: () => Promise<AppContext>): void {
  program
    .command('levels')
    .description('Ebenen verwalten')
    .command('derive')
    .description(
      'Leitet eine übergeordnete Ebene über den Schlüsselanfang ab und verschmilzt ihre Geometrien in PostGIS',
    )
    .requiredOption('--from <key>', 'vorhandene Ebene, deren Gebiete zusammengefasst werden, z. B. pgr')
    .requiredOption('--level <key>', 'Schlüssel der neuen Ebene, z. B. bez')
    .requiredOption('--code-length <n>', 'Schlüssel der neuen Gebiete = die ersten n Zeichen', toInt('--code-length'))
    .option('--label <text>', 'Bezeichnung der neuen Ebene (Standard: der Schlüssel)')
    .option('--names <file.csv>', 'CSV mit den Spalten code und name (Standard: Schlüssel als Name)')
    .action(async (o: { from: string; level: string; codeLength: number; label?: string; names?: string }) => {
      await run(openCtx, 'Ebene', (ctx) =>
        deriveLevel(ctx.db, {
          from: o.from,
          level: o.level,
          codeLength: o.codeLength,
          label: o.label,
          namesFile: o.names,
        }),
      );
    });
}

async function run(
  openCtx: () => Promise<AppContext>,
  label: string,
  work: (ctx: AppContext, onProgress: (done: number, total: number) => void) => Promise<ImportReport>,
): Promise<void> {
  const ctx = await openCtx();
  const bar = progressBar(label);
  let report: ImportReport;
  try {
    report = await work(ctx, bar.onProgress);
  } catch (e) {
    bar.stop();
    if (e instanceof ImportError) {
      // Bad input, not a bug: the message says where; no stack trace.
      console.error(`Fehler: ${e.message}`);
      console.error('Nichts wurde geschrieben.');
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  bar.stop();
  console.log(formatReport(report));
}

export function formatReport(r: ImportReport): string {
  const lines = [
    `${r.file}: ${r.total} ${r.kind === 'areas' ? 'Gebiete' : r.kind === 'indicators' ? 'Werte' : 'Indikatoren'}${r.level ? ` (Ebene ${r.level})` : ''}, ${r.added} neu, ${r.replaced} ersetzt`,
  ];
  if (r.areaChanges) lines.push(...formatAreaChanges(r.areaChanges));
  if (r.repaired.length > 0) {
    lines.push(`${r.repaired.length} ungültige Geometrien mit ST_MakeValid repariert:`);
    for (const x of r.repaired) lines.push(`  Objekt ${x.feature} (${x.code}): ${x.reason}`);
  }
  for (const w of r.warnings) lines.push(`Hinweis: ${w}`);
  return lines.join('\n');
}

/** The comparison with the stored areas of a re-imported level, in German. */
function formatAreaChanges(c: AreaChanges): string[] {
  const { geometry, added, vanished } = c;
  if (geometry.length + added.length + vanished.length === 0) {
    return ['Gebietsstand unverändert: keine Geometrie geändert, kein Schlüssel neu oder entfallen'];
  }
  const some = (codes: string[]) => (codes.length > 10 ? `${codes.slice(0, 10).join(', ')} …` : codes.join(', '));
  const lines = [
    `Gebietsstand ab ${c.validFrom}: ${geometry.length} ${geometry.length === 1 ? 'Geometrie' : 'Geometrien'} geändert, ` +
      `${added.length} Schlüssel neu, ${vanished.length} entfallen; ${c.recorded} ${c.recorded === 1 ? 'Eintrag' : 'Einträge'} im Änderungsregister` +
      (c.recorded > 0 ? ' (Veränderungen über diesen Tag hinweg gelten dort als nicht vergleichbar)' : ''),
  ];
  if (geometry.length > 0) lines.push(`  Geometrie geändert: ${some(geometry)}`);
  if (added.length > 0) lines.push(`  neue Schlüssel: ${some(added)}`);
  if (vanished.length > 0)
    lines.push(`  in der Datei fehlend (bleiben unverändert, nicht vermerkt): ${some(vanished)}`);
  return lines;
}

function toInt(option: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${option} erwartet eine ganze Zahl, nicht "${v}"`);
    return n;
  };
}

function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
