/**
 * The facility layers of the Berlin sample (issue 12): 2 880 Kindertagesstätten (12/2022) and 274
 * Pflegeeinrichtungen (07/2023), the Geoportal Berlin files copied unchanged (EPSG:25833 with a
 * legacy `crs` member), imported as point layers `kitas` and `pflege`, and the three indicators
 * computed from them (kita_pflege_indicators.csv): KITA_Q = 100 · sum(kitas.e_platz) / E_U6,
 * PFLEGE_Q = 100 · sum(pflege.platzzahl) / E_65, PFLEGE_DIST = distance(pflege). Both stands meet
 * the register counts of 30.06.2022 (the latest register period on or before them).
 */
import path from 'node:path';
import type { Db } from '../db.js';
import { importMeta, type ImportReport } from '../import/index.js';
import { importPoints, type PointImportOptions, type PointImportReport } from '../import/points.js';

/** Attribution of the facility layers (README, TileJSON, point layer rows). */
export const FACILITY_ATTRIBUTION =
  'Geoportal Berlin / Senatsverwaltung (Kindertagesstätten, Pflegeeinrichtungen), Datenlizenz Deutschland';

/** The two shipped layers: file in geodata/sample/berlin/ and import options. */
export const FACILITY_LAYERS: readonly (PointImportOptions & { file: string })[] = [
  {
    file: 'kitas_2022-12.geojson',
    layer: 'kitas',
    label: 'Kindertagesstätten',
    period: '2022-12-01',
    idField: 'e_nr',
    nameField: 'e_name',
    address: '{e_strasse} {e_hnr}, {e_plz} Berlin',
    attribution: 'Geoportal Berlin / Senatsverwaltung (Kindertagesstätten), Datenlizenz Deutschland',
  },
  {
    file: 'pflegeeinrichtungen_2023-07.geojson',
    layer: 'pflege',
    label: 'Pflegeeinrichtungen',
    period: '2023-07-01',
    idField: 'ik_nummer',
    nameField: 'einrichtung_name',
    address: '{gc_strasse} {gc_haus}, {gc_plz} Berlin',
    attribution: 'Geoportal Berlin / Senatsverwaltung (Pflegeeinrichtungen), Datenlizenz Deutschland',
  },
];

/** The metadata of KITA_Q, PFLEGE_Q and PFLEGE_DIST. */
export const FACILITY_META = 'kita_pflege_indicators.csv';

/** Imports both layers, then the indicators over them (each import recomputes the values). */
export async function loadFacilities(db: Db, dir: string): Promise<(PointImportReport | ImportReport)[]> {
  const reports: (PointImportReport | ImportReport)[] = [];
  for (const { file, ...opts } of FACILITY_LAYERS) reports.push(await importPoints(db, path.join(dir, file), opts));
  reports.push(await importMeta(db, path.join(dir, FACILITY_META)));
  return reports;
}
