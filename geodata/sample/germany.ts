/**
 * A real time series: the RKI German Index of Socioeconomic Deprivation (GISD) per Kreis,
 * 1998–2021, on the BKG VG5000 (01.01.2021) Länder, Kreise and Gemeinden
 * (`sozialatlas sample germany --path DIR`, DIR = ../shared/data/germany-kreise-gisd).
 *
 * - levels 'land' (16), 'kreis' (401, parent = first 2 digits of the AGS), 'gemeinde'
 *   (10 997, parent = first 5 digits); geometry in EPSG:31467, transformed by the importer;
 * - indicators gisd_score (index 0…1, higher = more deprived), gisd_5 (quintile), gisd_10
 *   (decile), gisd_k (3 classes), each year as period YYYY-12-31 (24 periods);
 * - VG5000_LAN holds 25 features: per Land the land part (GF 9) and for coastal Länder the
 *   water part (GF 8). Only GF 9 is imported, so that every Land has one area.
 * - GISD is published on one territorial state (31.12.2022) for all years, so the series is
 *   comparable over time: no area_change rows are written. The 2021 VG5000 still draws Eisenach
 *   (16056) apart from the Wartburgkreis (16063, merged 01.07.2021); GISD has no row for 16056,
 *   so that polygon simply carries no values, and 16063's polygon is smaller than its data territory.
 * - With `grid` (`--grid DIR`: the Zensus 2022 1-km Parquet folder or a CSV in the official layout;
 *   default none) the cells are imported (grid level z1km) and aggregated by their centre to the
 *   Gemeinden, the Kreise and the Länder (Z22_EW, shares under 18, 65+, foreigners, women, vacancy,
 *   age, household size, living space, each with its suppressed-population share in
 *   grid_aggregate_note), so the hierarchy has real values end to end. The Kreis and Land values
 *   from the cells win over the sums of their children; the gap between the two is the check
 *   (geodata/import/grid-check.ts) reported in GermanyGridReport.
 */
import { mkdtemp, writeFile, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../db.js';
import { importAreas, importIndicators, importMeta, readCsvFile, type ImportReport } from '../import/index.js';
import { readShapefile } from '../import/read-shapefile.js';
import { importGrid, type GridImportReport } from '../import/grid.js';
import { aggregateGrid, type GridAggregateReport } from '../import/grid-aggregate.js';
import { checkGridLevels, type GridLevelCheck } from '../import/grid-check.js';

export interface GermanySampleOptions {
  /** Import the 10 997 Gemeinden too (default true; the test switches it off to save a minute). */
  gemeinden?: boolean;
  /** Zensus 2022 grid: Parquet folder or CSV (default none: no grid values). */
  grid?: string;
  /** Hears what the grid import, aggregation and check gave (default none). */
  onGrid?: (report: GermanyGridReport) => void;
  onStep?: (step: string) => void;
}

export interface GermanyGridReport {
  imported: GridImportReport;
  /** one per level, finest first */
  aggregated: GridAggregateReport[];
  /** Kreis (and Land) values from the cells against the aggregate of their children */
  check: GridLevelCheck[];
}

/** The grid level key the sample imports the cells as. */
export const GERMANY_GRID_LEVEL = 'z1km';

export const GISD_INDICATORS = ['gisd_score', 'gisd_5', 'gisd_10', 'gisd_k'] as const;

const META = [
  'key;label;unit;topic;polarity;description;target;target_direction;kind;scale;numerator;denominator;sort_order',
  'gisd_score;German Index of Socioeconomic Deprivation (GISD);Index 0–1;Teilhabe;1;GISD-Score des RKI aus neun Indikatoren zu Bildung, Beschäftigung und Einkommen (PCA), höher = stärkere Deprivation;;;index;1;;;100',
  'gisd_5;GISD-Quintil;Klasse;Teilhabe;1;Quintil des GISD-Scores im Jahr (1 = geringste, 5 = höchste Deprivation);;;class;1;;;101',
  'gisd_10;GISD-Dezil;Klasse;Teilhabe;1;Dezil des GISD-Scores im Jahr;;;class;1;;;102',
  'gisd_k;GISD-Klasse (3);Klasse;Teilhabe;1;GISD in drei Klassen (niedrig, mittel, hoch);;;class;1;;;103',
].join('\n');

const ATTRIBUTION =
  'GISD: Robert Koch-Institut, Michalski N. et al. (2025), doi:10.5281/zenodo.14781119, CC BY 4.0 · Geometrie: © GeoBasis-DE / BKG (2021), dl-de/by-2-0 (Daten verändert)';

async function mustExist(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new Error(`Datei fehlt: ${file} (erwartet wird der Ordner germany-kreise-gisd)`);
  }
}

export async function loadGermanySample(db: Db, dir: string, opts: GermanySampleOptions = {}): Promise<ImportReport[]> {
  const geo = (f: string) => path.join(dir, 'geometry', f);
  const gisdFile = path.join(dir, 'indicators', 'GISD_Bund_Kreis.csv');
  for (const f of [geo('VG5000_LAN.shp'), geo('VG5000_KRS.shp'), gisdFile]) await mustExist(f);
  if (opts.gemeinden !== false) await mustExist(geo('VG5000_GEM.shp'));
  const tmp = await mkdtemp(path.join(tmpdir(), 'sozialatlas-gisd-'));
  const reports: ImportReport[] = [];
  const step = opts.onStep ?? (() => {});
  try {
    step('Indikatoren-Metadaten');
    await writeFile(path.join(tmp, 'meta.csv'), META);
    reports.push(await importMeta(db, path.join(tmp, 'meta.csv')));

    step('Länder');
    const lan = await readShapefile(geo('VG5000_LAN.shp'));
    const land = lan.features.filter((f) => Number(f.props.GF) === 9);
    await writeFile(
      path.join(tmp, 'land.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: land.map((f) => ({
          type: 'Feature',
          properties: { AGS: f.props.AGS, GEN: f.props.GEN },
          geometry: f.geometry,
        })),
      }),
    );
    reports.push(
      await importAreas(db, path.join(tmp, 'land.geojson'), {
        level: 'land',
        levelLabel: 'Land',
        codeField: 'AGS',
        nameField: 'GEN',
        srid: 31467,
      }),
    );

    step('Kreise');
    reports.push(
      await importAreas(db, geo('VG5000_KRS.shp'), {
        level: 'kreis',
        levelLabel: 'Kreis',
        codeField: 'AGS',
        nameField: 'GEN',
        parentLevel: 'land',
        parentCodePrefix: 2,
      }),
    );
    if (opts.gemeinden !== false) {
      step('Gemeinden');
      reports.push(
        await importAreas(db, geo('VG5000_GEM.shp'), {
          level: 'gemeinde',
          levelLabel: 'Gemeinde',
          codeField: 'AGS',
          nameField: 'GEN',
          parentLevel: 'kreis',
          parentCodePrefix: 5,
        }),
      );
    }

    step('GISD 1998–2021');
    // The RKI file is wide per year (one row per Kreis and year); the importer's long form wants
    // one row per code × indicator × period, so it is reshaped here, values untouched.
    const table = await readCsvFile(gisdFile);
    const col = (name: string) => {
      const i = table.header.indexOf(name);
      if (i < 0) throw new Error(`${gisdFile}: Spalte '${name}' fehlt`);
      return i;
    };
    const [ci, yi] = [col('kreis_id'), col('year')];
    const lines = ['code,indicator,period,value'];
    for (const row of table.rows) {
      for (const k of GISD_INDICATORS)
        lines.push(`${row[ci].trim()},${k},${row[yi].trim()}-12-31,${row[col(k)].trim()}`);
    }
    await writeFile(path.join(tmp, 'gisd_long.csv'), lines.join('\n'));
    reports.push(await importIndicators(db, path.join(tmp, 'gisd_long.csv'), { level: 'kreis', codeField: 'code' }));

    await db.query(
      `INSERT INTO setting (key, value) VALUES ('attribution.kreis', $1), ('attribution.land', $1), ('attribution.gemeinde', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [ATTRIBUTION],
    );
    if (opts.grid !== undefined) {
      const grid = await loadGermanyGrid(db, opts.grid, opts.gemeinden !== false, step);
      opts.onGrid?.(grid);
    }
    return reports;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * The Zensus cells into the sample: imported, then aggregated by centre to every level of the
 * sample, finest first (each aggregation recomputes the levels above it), and the Kreise and
 * Länder checked against their children.
 */
export async function loadGermanyGrid(
  db: Db,
  source: string,
  gemeinden: boolean,
  step: (s: string) => void = () => {},
): Promise<GermanyGridReport> {
  step('Zensus-Gitter');
  const imported = await importGrid(db, source, { level: GERMANY_GRID_LEVEL });
  const aggregated: GridAggregateReport[] = [];
  for (const level of gemeinden ? ['gemeinde', 'kreis', 'land'] : ['kreis', 'land']) {
    step(`Zensus-Gitter → ${level}`);
    aggregated.push(await aggregateGrid(db, { toLevel: level, gridLevel: GERMANY_GRID_LEVEL }));
  }
  const check = await checkGridLevels(db, gemeinden ? ['kreis', 'land'] : ['land']);
  return { imported, aggregated, check };
}

/** The grid report as German lines for the command line. */
export function formatGermanyGrid(r: GermanyGridReport): string[] {
  const de = (n: number) => n.toLocaleString('de-DE', { maximumFractionDigits: 0 });
  const lines = [
    `Zensus-Gitter: ${de(r.imported.cells)} Zellen, ${de(r.imported.populated)} besiedelt, ${de(r.imported.population)} Einwohner`,
  ];
  for (const a of r.aggregated)
    lines.push(
      `  → ${a.level}: ${de(a.areas)} von ${de(a.areasTotal)} Gebieten, ${de(a.population)} Einwohner; ${de(a.cellsOutside)} besiedelte Zellen in keinem Gebiet (${de(a.populationOutside)} Einwohner)`,
    );
  for (const c of r.check)
    lines.push(
      c.differing === 0
        ? `  Prüfung ${c.level} ${c.indicator}: ${de(c.compared)} Gebiete, Wert aus den Zellen = Summe der Teilgebiete`
        : `  Prüfung ${c.level} ${c.indicator}: ${de(c.compared)} Gebiete, ${de(c.differing)} weichen ab, höchstens ${(c.maxRelativeGap * 100).toLocaleString('de-DE', { maximumSignificantDigits: 3 })} % (${c.worstCode})`,
    );
  return lines;
}
