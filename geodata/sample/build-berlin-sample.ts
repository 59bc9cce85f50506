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
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const src = process.argv[2] ?? '../shared/data/berlin-mss-2021';
const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'berlin');

function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

const read = (f: string) => parseCsv(readFileSync(path.join(src, 'mss/raw', f), 'utf8'));
const index = read('mss_2021_index_indikatoren.csv');
const indices = new Map(read('mss_2021_indizes.csv').map((r) => [r.PLR_ID, r]));
const context = new Map(read('mss_2021_kontext_indikatoren.csv').map((r) => [r.PLR_ID, r]));

const contextKeys = ['KI_01', 'KI_02', 'KI_03', 'KI_04', 'KI_05', 'KI_16', 'KI_06', 'KI_17', 'KI_07', 'KI_09', 'KI_10', 'KI_11', 'KI_12', 'KI_13'];
const columns = ['PLR_ID', 'PLR_NAME', 'EW', 'S1', 'S3', 'S4', 'D1', 'D3', 'D4', ...contextKeys, 'KOM', 'SI_N', 'DI_N'];
const kom = (v: string) => (v === 'gültig' ? '0' : v.includes('Ausrei') ? '2' : '1');
const missing = (v: string | undefined) => (v === undefined || v === '' || v === '-9999' ? '-9999' : v);
const q = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const lines = [columns.join(';')];
for (const r of index) {
  const i = indices.get(r.PLR_ID)!;
  const c = context.get(r.PLR_ID)!;
  const vals: Record<string, string> = {
    PLR_ID: r.PLR_ID, PLR_NAME: r.PLR_NAME, EW: missing(r.EW),
    S1: missing(r.S1), S3: missing(r.S3), S4: missing(r.S4), D1: missing(r.D1), D3: missing(r.D3), D4: missing(r.D4),
    KOM: kom(r.KOM), SI_N: missing(i.SI_N), DI_N: missing(i.DI_N),
  };
  for (const k of contextKeys) vals[k] = missing(c[k]);
  lines.push(columns.map((k) => q(vals[k])).join(';'));
}
writeFileSync(path.join(out, 'mss_2021.csv'), lines.join('\n') + '\n');
copyFileSync(path.join(src, 'geometry/lor_planungsraeume_2021.geojson'), path.join(out, 'plr.geojson'));
for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) {
  copyFileSync(path.join(src, `geometry/lor_bezirksregionen_2021.${ext}`), path.join(out, `bzr.${ext}`));
}
console.log(`wrote ${index.length} rows and the geometries to ${out}`);
