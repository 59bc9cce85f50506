/**
 * Rebuilds the shipped Berlin sample (geodata/sample/berlin/) from the real MSS 2021 open data
 * in ../shared/data/berlin-mss-2021. Run once by a maintainer:
 *   npx tsx geodata/sample/build-berlin-sample.ts ../shared/data/berlin-mss-2021
 * The output is committed, so neither `npm start` nor the tests need ../shared.
 *
 * - plr.geojson: the 542 Planungsräume as published (EPSG:4326 GeoJSON), unchanged.
 * - bzr.{shp,shx,dbf,prj,cpg}: the 143 Bezirksregionen as published (EPSG:25833 shapefile), unchanged.
 * - mss_2021.csv: one row per PLR from the three raw WFS exports; `-9999` marks a missing value;
 *   KOM is coded 0 = gültig, 1 = ungültig (EW unter 300), 2 = ungültig (Ausreißer).
 * - einwohnerregister.csv: the Einwohnerregister per PLR at 31.12.2021, 30.06.2022 and
 *   31.12.2024 in long form (PLR_ID, indicator, period, value, numerator, denominator) as real
 *   counts (Grunddaten): EW, under 6 (E_U6), 6–15 (E_6_15), 15–18 (E_15_18), 65 and over (E_65),
 *   foreigners (E_AUSL) and, where published (2021, 2024), residents with migration background
 *   (E_MIG). The shares EW_U18, EW_65, KI_16 and KI_05 are formulas over them (indicators.csv);
 *   this continues the MSS values of 31.12.2020 for EW, KI_05 and KI_16 from the same register,
 *   so the sample has a real time series. An area without residents has no shares.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv as parseCsvTable } from '../import/read-csv.js';
import { MSS_COLUMNS } from './load.js';

const src = process.argv[2];
if (!src) {
  console.error('Aufruf: npx tsx geodata/sample/build-berlin-sample.ts <Datenordner>/berlin-mss-2021');
  process.exit(2);
}
const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'berlin');

/** Rows as objects keyed by the header, read with the importer's CSV parser (quotes, BOM). */
function parseCsv(text: string, delimiter = ','): Record<string, string>[] {
  const { header, rows } = parseCsvTable(text, 'sample source', { delimiter });
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

const read = (f: string) => parseCsv(readFileSync(path.join(src, 'mss/raw', f), 'utf8'));
const index = read('mss_2021_index_indikatoren.csv');
const indices = new Map(read('mss_2021_indizes.csv').map((r) => [r.PLR_ID, r]));
const context = new Map(read('mss_2021_kontext_indikatoren.csv').map((r) => [r.PLR_ID, r]));

// The MSS columns the sample loader imports, in its order: the context indicators are the KI_* ones.
const contextKeys = MSS_COLUMNS.filter((k) => k.startsWith('KI_'));
const columns = ['PLR_ID', 'PLR_NAME', ...MSS_COLUMNS];
const kom = (v: string) => (v === 'gültig' ? '0' : v.includes('Ausrei') ? '2' : '1');
const missing = (v: string | undefined) => (v === undefined || v === '' || v === '-9999' ? '-9999' : v);
const q = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const lines = [columns.join(';')];
for (const r of index) {
  const i = indices.get(r.PLR_ID)!;
  const c = context.get(r.PLR_ID)!;
  const vals: Record<string, string> = {
    PLR_ID: r.PLR_ID,
    PLR_NAME: r.PLR_NAME,
    EW: missing(r.EW),
    S1: missing(r.S1),
    S3: missing(r.S3),
    S4: missing(r.S4),
    D1: missing(r.D1),
    D3: missing(r.D3),
    D4: missing(r.D4),
    KOM: kom(r.KOM),
    SI_N: missing(i.SI_N),
    DI_N: missing(i.DI_N),
  };
  for (const k of contextKeys) vals[k] = missing(c[k]);
  lines.push(columns.map((k) => q(vals[k])).join(';'));
}
writeFileSync(path.join(out, 'mss_2021.csv'), lines.join('\n') + '\n');
copyFileSync(path.join(src, 'geometry/lor_planungsraeume_2021.geojson'), path.join(out, 'plr.geojson'));
for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) {
  copyFileSync(path.join(src, `geometry/lor_bezirksregionen_2021.${ext}`), path.join(out, `bzr.${ext}`));
}

/**
 * Counts of one register extract per PLR, under names common to both publications. They are
 * shipped as Grunddaten (base counts); the shares EW_U18, EW_65, KI_16 and KI_05 are formula
 * indicators over them (indicators.csv), so every level computes them from its own sums.
 */
interface RegisterRow {
  ew: number;
  u6: number;
  a6to15: number;
  a15to18: number;
  ab65: number;
  foreigners: number;
  migration?: number;
}
const popDir = path.join(src, 'population');
// '' is an empty group (0); '–' (2022 extract, Pankower Tor) means not published: NaN, written as missing.
const num = (v: string) => (v === '' ? 0 : v === '–' ? NaN : Number(v));
function lifeworlds(stem: string): Map<string, RegisterRow> {
  const t1 = new Map(
    parseCsv(readFileSync(path.join(popDir, `${stem}-t1-planning-areas.csv`), 'utf8')).map((r) => [r.id, r]),
  );
  const rows = new Map<string, RegisterRow>();
  for (const r of parseCsv(readFileSync(path.join(popDir, `${stem}-t2-planning-areas.csv`), 'utf8'))) {
    rows.set(r.id, {
      ew: num(r.inhabitants),
      u6: num(r.inhabitants_age_below_6),
      a6to15: num(r.inhabitants_age_6_15),
      a15to18: num(r.inhabitants_age_15_18),
      ab65: num(r.inhabitants_age_above_65),
      foreigners: num(r.inhabitants_foreigners),
      migration: num(t1.get(r.id)!.inhabitants_with_migration_background),
    });
  }
  return rows;
}
function register2022(): Map<string, RegisterRow> {
  const rows = new Map<string, RegisterRow>();
  for (const r of parseCsv(readFileSync(path.join(popDir, 'einwohnerbestand_06-2022_plr.csv'), 'utf8'), ';')) {
    rows.set(r['PLR-ID'], {
      ew: num(r.Gesamt),
      u6: num(r.unter6),
      a6to15: num(r['6-15']),
      a15to18: num(r['15-18']),
      ab65: num(r['65undmehr']),
      foreigners: num(r['ausländer']),
    });
  }
  return rows;
}
const register: [string, Map<string, RegisterRow>][] = [
  ['2021-12-31', lifeworlds('berlin-lor-population-2021-02')],
  ['2022-06-30', register2022()],
  ['2024-12-31', lifeworlds('berlin-lor-population-2024-02')],
];
const long = ['PLR_ID,indicator,period,value,numerator,denominator'];
for (const [period, rows] of register) {
  for (const r of index) {
    const c = rows.get(r.PLR_ID);
    if (!c) throw new Error(`${period}: Planungsraum ${r.PLR_ID} fehlt im Einwohnerregister`);
    const counts: [string, number | undefined][] = [
      ['EW', c.ew],
      ['E_U6', c.u6],
      ['E_6_15', c.a6to15],
      ['E_15_18', c.a15to18],
      ['E_65', c.ab65],
      ['E_AUSL', c.foreigners],
      ['E_MIG', c.migration],
    ];
    for (const [key, count] of counts) {
      if (count === undefined) continue; // E_MIG: not in the 2022 extract
      long.push(`${r.PLR_ID},${key},${period},${Number.isFinite(count) ? count : ''},,`); // small groups are blanked ('–') in 2022
    }
  }
}
writeFileSync(path.join(out, 'einwohnerregister.csv'), long.join('\n') + '\n');
console.log(`wrote ${index.length} rows, ${long.length - 1} register counts and the geometries to ${out}`);

/**
 * Names of the derived levels (sample load: `levels derive`). The twelve Bezirke by their LOR
 * code; the open data carry no Prognoseraum names, so a Prognoseraum is named by its code and
 * its Bezirk rather than by an invented name.
 */
const BEZIRKE: Record<string, string> = {
  '01': 'Mitte',
  '02': 'Friedrichshain-Kreuzberg',
  '03': 'Pankow',
  '04': 'Charlottenburg-Wilmersdorf',
  '05': 'Spandau',
  '06': 'Steglitz-Zehlendorf',
  '07': 'Tempelhof-Schöneberg',
  '08': 'Neukölln',
  '09': 'Treptow-Köpenick',
  '10': 'Marzahn-Hellersdorf',
  '11': 'Lichtenberg',
  '12': 'Reinickendorf',
};
const prognoseraeume = [...new Set(index.map((r) => r.PLR_ID.slice(0, 4)))].sort();
writeFileSync(
  path.join(out, 'bez_names.csv'),
  ['code,name', ...Object.entries(BEZIRKE).map(([c, n]) => `${c},${n}`)].join('\n') + '\n',
);
writeFileSync(
  path.join(out, 'pgr_names.csv'),
  ['code,name', ...prognoseraeume.map((c) => `${c},Prognoseraum ${c} (${BEZIRKE[c.slice(0, 2)]})`)].join('\n') + '\n',
);
