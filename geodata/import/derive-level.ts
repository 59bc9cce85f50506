/**
 * Derives a coarser level from an existing one by code prefix and dissolves its geometry in
 * PostGIS (`sozialatlas levels derive`): Berlin's LOR codes nest (Bezirk 2 digits, Prognoseraum 4,
 * Bezirksregion 6, Planungsraum 8), as do German AGS (Land 2, Kreis 5, Gemeinde 8/12).
 *
 * The new level is attached above the top of the chain that `from` belongs to (plr → bzr → pgr:
 * deriving `bez` from `pgr` makes pgr's parent bez). Its values are then aggregated like any
 * parent level's, and confidentiality is decided along the longer chain.
 */
import type { Db, Queryable } from '../db.js';
import { ImportError } from './errors.js';
import { parseCsv, requireRectangular } from './read-csv.js';
import { readTextFile } from './sniff.js';
import { bumpDataVersion } from './versions.js';
import { recomputeValues } from '../values/recompute.js';
import type { ImportReport } from './types.js';

export interface DeriveLevelOptions {
  /** Existing level whose areas are dissolved. */
  from: string;
  /** Key of the new level, e.g. 'bez'. */
  level: string;
  /** Label of the new level; default: the key. */
  label?: string;
  /** Code of the new areas = the first codeLength characters of the `from` codes. */
  codeLength: number;
  /** CSV with columns code and name (delimiter detected); default: the codes are the names. */
  namesFile?: string;
}

/** A level key as the importers accept it (also used in URLs and tile paths). */
const LEVEL_KEY = /^[a-z][a-z0-9_]{0,31}$/;

export async function deriveLevel(db: Db, opts: DeriveLevelOptions): Promise<ImportReport> {
  const file = opts.namesFile ?? `levels derive ${opts.level}`;
  if (!LEVEL_KEY.test(opts.level)) {
    throw new ImportError(
      'der Ebenenschlüssel muss mit einem Kleinbuchstaben beginnen und darf nur a–z, 0–9 und _ enthalten',
      { file, field: 'level', value: opts.level },
    );
  }
  if (!Number.isInteger(opts.codeLength) || opts.codeLength < 1) {
    throw new ImportError('die Schlüssellänge muss eine ganze Zahl ab 1 sein', {
      file,
      field: 'codeLength',
      value: opts.codeLength,
    });
  }
  const names = opts.namesFile ? await readNames(opts.namesFile) : null;

  return db.transaction(async (tx) => {
    const from = await tx.query<{ key: string }>('SELECT key FROM level WHERE key = $1', [opts.from]);
    if (!from.rows[0])
      throw new ImportError(`die Ebene "${opts.from}" gibt es nicht`, { file, field: 'from', value: opts.from });
    const exists = await tx.query('SELECT 1 FROM level WHERE key = $1', [opts.level]);
    if (exists.rows[0])
      throw new ImportError(`die Ebene "${opts.level}" gibt es schon`, { file, field: 'level', value: opts.level });

    const top = await chainTop(tx, opts.from);
    await requireNesting(tx, file, opts.from, top, opts.codeLength);

    const groups = (
      await tx.query<{ code: string }>('SELECT DISTINCT left(code, $2) AS code FROM area WHERE level = $1 ORDER BY 1', [
        opts.from,
        opts.codeLength,
      ])
    ).rows.map((r) => r.code);
    if (names) {
      const unknown = [...names.keys()].filter((c) => !groups.includes(c));
      const unnamed = groups.filter((c) => !names.has(c));
      if (unknown.length > 0 || unnamed.length > 0) {
        const parts = [
          unknown.length
            ? `Schlüssel ohne Gebiet: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}`
            : '',
          unnamed.length
            ? `Gebiete ohne Namen: ${unnamed.slice(0, 10).join(', ')}${unnamed.length > 10 ? ' …' : ''}`
            : '',
        ].filter(Boolean);
        throw new ImportError(
          `die Namen passen nicht zu den Schlüsseln der Länge ${opts.codeLength} (${parts.join('; ')})`,
          {
            file,
            field: 'code',
            value: unknown[0] ?? unnamed[0],
          },
        );
      }
    }

    await tx.query('INSERT INTO level (key, label, parent_level, derived_code_length) VALUES ($1, $2, NULL, $3)', [
      opts.level,
      opts.label ?? opts.level,
      opts.codeLength,
    ]);
    // Dissolve in PostGIS; a dissolved outline stays a MultiPolygon, its area comes from the geography.
    await tx.query(
      `INSERT INTO area (level, code, name, parent_code, geom, area_km2)
       SELECT $2, g.code, COALESCE(n.name, g.code), NULL, g.geom, ST_Area(g.geom::geography) / 1e6
         FROM (SELECT left(code, $3) AS code, ST_Multi(ST_CollectionExtract(ST_Union(geom), 3))::geometry(MultiPolygon, 4326) AS geom
                 FROM area WHERE level = $1 GROUP BY left(code, $3)) g
         LEFT JOIN unnest($4::text[], $5::text[]) AS n(code, name) ON n.code = g.code`,
      [opts.from, opts.level, opts.codeLength, names ? [...names.keys()] : [], names ? [...names.values()] : []],
    );
    await tx.query('UPDATE level SET parent_level = $2 WHERE key = $1', [top, opts.level]);
    await tx.query('UPDATE area SET parent_code = left(code, $2) WHERE level = $1', [top, opts.codeLength]);
    await bumpDataVersion(tx);
    await recomputeValues(tx);
    return {
      file,
      kind: 'areas',
      level: opts.level,
      total: groups.length,
      added: groups.length,
      replaced: 0,
      repaired: [],
      warnings: [],
    } satisfies ImportReport;
  });
}

/** The top of the chain of parent levels that starts at `level`. */
async function chainTop(tx: Queryable, level: string): Promise<string> {
  const seen = new Set<string>();
  let key = level;
  for (;;) {
    seen.add(key);
    const r = await tx.query<{ parent: string | null }>('SELECT parent_level AS parent FROM level WHERE key = $1', [
      key,
    ]);
    const parent = r.rows[0]?.parent ?? null;
    if (parent === null || seen.has(parent)) return key;
    key = parent;
  }
}

/**
 * The prefixes must nest: every code on `from` and on the chain's top level must be longer than
 * the prefix, and each area of `from` must lie in the top-level area with the same prefix (when
 * `from` is below the top). Names the first offending codes.
 */
async function requireNesting(
  tx: Queryable,
  file: string,
  from: string,
  top: string,
  codeLength: number,
): Promise<void> {
  const short = await tx.query<{ level: string; code: string }>(
    'SELECT level, code FROM area WHERE level = ANY($1::text[]) AND length(code) <= $2 ORDER BY level, code LIMIT 5',
    [[from, top], codeLength],
  );
  if (short.rows.length > 0) {
    const codes = short.rows.map((r) => `${r.code} (${r.level})`).join(', ');
    throw new ImportError(
      `Schlüssellänge ${codeLength} verschachtelt nicht: diese Schlüssel sind nicht länger als ${codeLength} Zeichen: ${codes}`,
      {
        file,
        field: 'codeLength',
        value: codeLength,
      },
    );
  }
  if (from === top) return;
  // Walk each `from` area up to its top-level ancestor and compare prefixes.
  const mismatch = await tx.query<{ code: string; ancestor: string }>(
    `WITH RECURSIVE up(code, level, anc) AS (
       SELECT a.code, a.level, a.parent_code FROM area a WHERE a.level = $1
       UNION ALL
       SELECT up.code, l.parent_level, p.parent_code
         FROM up JOIN level l ON l.key = up.level
         JOIN area p ON p.level = l.parent_level AND p.code = up.anc
        WHERE l.parent_level IS NOT NULL AND l.parent_level <> $2
     )
     SELECT up.code, up.anc AS ancestor FROM up JOIN level l ON l.key = up.level
      WHERE l.parent_level = $2 AND left(up.code, $3) <> left(up.anc, $3)
      ORDER BY up.code LIMIT 5`,
    [from, top, codeLength],
  );
  if (mismatch.rows.length > 0) {
    const pairs = mismatch.rows.map((r) => `${r.code} liegt in ${r.ancestor}`).join(', ');
    throw new ImportError(`Schlüssellänge ${codeLength} verschachtelt nicht mit der Ebene "${top}": ${pairs}`, {
      file,
      field: 'codeLength',
      value: codeLength,
    });
  }
}

/** code → name from a CSV with columns code and name (any case, delimiter detected). */
async function readNames(file: string): Promise<Map<string, string>> {
  const table = parseCsv((await readTextFile(file, 'CSV')).text, file);
  requireRectangular(table, file);
  const header = table.header.map((h) => h.trim().toLowerCase());
  const code = header.indexOf('code');
  const name = header.indexOf('name');
  if (code < 0 || name < 0)
    throw new ImportError('erwartet werden die Spalten code und name', { file, field: code < 0 ? 'code' : 'name' });
  const names = new Map<string, string>();
  table.rows.forEach((row, i) => {
    const c = (row[code] ?? '').trim();
    if (names.has(c)) throw new ImportError('doppelter Schlüssel', { file, row: i + 1, field: 'code', value: c });
    names.set(c, (row[name] ?? '').trim());
  });
  return names;
}
