/**
 * The shipped Berlin sample (geodata/sample/berlin/): loads metadata, the LOR areas of four levels
 * and the MSS 2021 and register values through the same importers a user runs, so the first start
 * of `npm start` and the test templates exercise the real import path.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db, Queryable } from '../db.js';
import { importAreas, importIndicators, importMeta, type ImportReport } from '../import/index.js';
import { deriveLevel } from '../import/derive-level.js';
import { loadFacilities } from './facilities.js';
import { importAddresses } from '../import/addresses.js';
import { inOneTransaction } from '../one-transaction.js';

/** The shipped Berlin sample: folder, levels, the MSS 2021 period and the register periods. */
export const SAMPLE_DIR = fileURLToPath(new URL('./berlin/', import.meta.url));
/** The MSS 2021 reference date: the social indicators, the index and the default typology. */
export const SAMPLE_PERIOD = '2020-12-31';
/** Einwohnerregister periods that continue EW, KI_05, KI_16 and add EW_U18, EW_65. */
export const REGISTER_PERIODS = ['2021-12-31', '2022-06-30', '2024-12-31'] as const;
export const SAMPLE_LEVEL = 'plr';
export const SAMPLE_PARENT_LEVEL = 'bzr';
/** The full Berlin LOR hierarchy of the sample, finest first: Planungsraum → Bezirksregion → Prognoseraum → Bezirk. */
export const SAMPLE_LEVELS = ['plr', 'bzr', 'pgr', 'bez'] as const;

/** The columns of the shipped MSS table (mss_2021.csv) the loader imports, in file order. */
export const MSS_COLUMNS = [
  'EW',
  'S1',
  'S3',
  'S4',
  'D1',
  'D3',
  'D4',
  'KI_01',
  'KI_02',
  'KI_03',
  'KI_04',
  'KI_05',
  'KI_16',
  'KI_06',
  'KI_17',
  'KI_07',
  'KI_09',
  'KI_10',
  'KI_11',
  'KI_12',
  'KI_13',
  'KOM',
  'SI_N',
  'DI_N',
];

/**
 * True when no area has been imported yet (a fresh database). Since the first start is one
 * transaction (server/cli/core.ts), a database with areas always has the whole sample or the
 * user's own data, never a part of the sample.
 */
export async function isEmpty(db: Queryable): Promise<boolean> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM area');
  return r.rows[0].n === 0;
}

/**
 * Loads the Berlin sample: indicator metadata, 143 Bezirksregionen (shapefile, EPSG:25833),
 * 542 Planungsräume (GeoJSON, EPSG:4326, parent = first 6 digits of the code), the derived
 * 58 Prognoseräume (first 4 digits) and 12 Bezirke (first 2 digits), dissolved in PostGIS, the MSS
 * 2021 indicators for period 2020-12-31 (`-9999` = missing), then the Einwohnerregister series
 * (long form: the counts as Grunddaten, the shares as formula indicators over them) for the three
 * later periods.
 *
 * The MSS publishes rates, not counts. So that parent levels can aggregate as Σnum/Σden,
 * every rate gets denominator = EW and numerator = rate·EW/100: the parent value is then the
 * population-weighted mean, an approximation wherever the true denominator is a sub-population
 * (e.g. S4: under-15s). The README says so.
 *
 * All of it is one transaction (each importer's own becomes a savepoint): a failure or a kill
 * part-way leaves the database as it was, never levels without values. Called inside a larger
 * transaction (the first start), it becomes part of that one.
 */
export function loadSample(db: Db, onStep?: (step: string) => void): Promise<ImportReport[]> {
  return inOneTransaction(db, (tx) => loadSampleSteps(tx, onStep));
}

async function loadSampleSteps(db: Db, onStep?: (step: string) => void): Promise<ImportReport[]> {
  const file = (f: string) => path.join(SAMPLE_DIR, f);
  const reports: ImportReport[] = [];
  onStep?.('Indikatoren-Metadaten');
  reports.push(await importMeta(db, file('indicators.csv')));
  onStep?.('Bezirksregionen');
  reports.push(
    await importAreas(db, file('bzr.shp'), {
      level: SAMPLE_PARENT_LEVEL,
      levelLabel: 'Bezirksregion',
      codeField: 'BZR_ID',
      nameField: 'BZR_NAME',
    }),
  );
  onStep?.('Planungsräume');
  reports.push(
    await importAreas(db, file('plr.geojson'), {
      level: SAMPLE_LEVEL,
      levelLabel: 'Planungsraum',
      codeField: 'PLR_ID',
      nameField: 'PLR_NAME',
      parentLevel: SAMPLE_PARENT_LEVEL,
      parentCodePrefix: 6,
    }),
  );
  onStep?.('Prognoseräume und Bezirke');
  reports.push(
    await deriveLevel(db, {
      from: 'bzr',
      level: 'pgr',
      label: 'Prognoseraum',
      codeLength: 4,
      namesFile: file('pgr_names.csv'),
    }),
  );
  reports.push(
    await deriveLevel(db, {
      from: 'pgr',
      level: 'bez',
      label: 'Bezirk',
      codeLength: 2,
      namesFile: file('bez_names.csv'),
    }),
  );
  onStep?.('MSS-2021-Indikatoren');
  reports.push(
    await importIndicators(db, file('mss_2021.csv'), {
      level: SAMPLE_LEVEL,
      codeField: 'PLR_ID',
      period: SAMPLE_PERIOD,
      columns: MSS_COLUMNS,
      missing: ['-9999'],
      delimiter: ';',
    }),
  );
  await db.query(
    `UPDATE observation o
        SET denominator = ew.value, numerator = o.value * ew.value / i.scale
       FROM observation ew, indicator i
      WHERE i.key = o.indicator AND i.kind = 'rate'
        AND ew.level = o.level AND ew.code = o.code AND ew.period = o.period AND ew.indicator = 'EW'
        AND o.level = $1 AND o.period = $2 AND o.value IS NOT NULL`,
    [SAMPLE_LEVEL, SAMPLE_PERIOD],
  );
  onStep?.('Einwohnerregister 2021–2024');
  reports.push(await importIndicators(db, file('einwohnerregister.csv'), { level: SAMPLE_LEVEL, codeField: 'PLR_ID' }));
  onStep?.('Kitas und Pflegeeinrichtungen');
  await loadFacilities(db, SAMPLE_DIR);
  onStep?.('Adressen (Straßensuche)');
  await importAddresses(db, file('adressen_berlin_2023-06.csv.gz'), SAMPLE_LEVEL);
  return reports;
}
