/**
 * The indicator matrix of a typology request, read from the indicator_value view (which applies
 * primary suppression): areas below the population threshold or flagged invalid are excluded and
 * listed; areas hidden only to protect a sibling (secondary suppression) take part, but their types
 * are never published (reads.ts, tiles). Missing values stay
 * NaN for the pipeline, which drops and counts them or imputes on request, never zero-fills.
 * Unknown level, period or indicators are a 400 naming them. Also the data fingerprint stored
 * with a run.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../../geodata/db.js';
import type { TypologyInput } from '../../../analysis/typology.js';
import { badRequest } from '../../http/errors.js';
import type { TypologyRequest } from './request.js';

/** The pipeline input, and the areas excluded before it (suppressed or invalid), reported with the run. */
export interface LoadedInput {
  input: TypologyInput;
  excluded: { code: string; reason: string; indicators: string[] }[];
}

/** Reads the matrix for a request; throws 400 for unknown level, period or indicators. */
export async function loadTypologyInput(db: Queryable, req: TypologyRequest): Promise<LoadedInput> {
  const level = await db.query('SELECT 1 FROM level WHERE key = $1', [req.level]);
  if (!level.rows[0]) throw badRequest(`Unbekannte Ebene '${req.level}'`, { field: 'level', level: req.level });
  // Every level has its own values in the read model (imported, aggregated or by formula).
  const period = await db.query('SELECT 1 FROM level_value WHERE level = $1 AND period = $2::date LIMIT 1', [
    req.level,
    req.period,
  ]);
  if (!period.rows[0])
    throw badRequest(`Keine Daten für Zeitraum '${req.period}' auf Ebene '${req.level}'`, {
      field: 'period',
      period: req.period,
    });
  const meta = await db.query<{ key: string; label: string; polarity: number }>(
    "SELECT key, label, polarity FROM indicator WHERE key = ANY($1::text[]) AND visibility = 'public'",
    [req.indicators],
  );
  const byKey = new Map(meta.rows.map((r) => [r.key, r]));
  const unknown = req.indicators.filter((k) => !byKey.has(k));
  if (unknown.length > 0)
    throw badRequest(`Unbekannte Indikatoren: ${unknown.join(', ')}`, { field: 'indicators', indicators: unknown });
  if (new Set(req.indicators).size !== req.indicators.length)
    throw badRequest('Indikatoren doppelt angegeben', { field: 'indicators' });
  for (const w of Object.keys(req.weights ?? {}))
    if (!byKey.has(w) || !req.indicators.includes(w))
      throw badRequest(`Gewicht für '${w}', der nicht unter den Indikatoren ist`, { field: 'weights', indicator: w });

  // One row per area with its values as parallel arrays (a bulk read): 12 indicators × 10 000 areas
  // used to cross from the database as 120 000 row objects, the largest database cost of a run.
  const rows = await db.query<{
    code: string;
    indicators: (string | null)[];
    values: (number | null)[];
    populations: (number | null)[];
    suppressed: boolean | null;
    invalid: boolean | null;
  }>(
    `SELECT a.code, array_agg(v.indicator) AS indicators, array_agg(v.value) AS values,
            array_agg(v.population) AS populations,
            bool_or(v.primary_suppressed) AS suppressed, bool_or(v.invalid) AS invalid
       FROM area a
       LEFT JOIN indicator_value v ON v.level = a.level AND v.code = a.code AND v.period = $2::date AND v.indicator = ANY($3::text[])
      WHERE a.level = $1
      GROUP BY a.code
      ORDER BY a.code`,
    [req.level, req.period, req.indicators],
  );
  const p = req.indicators.length;
  const column = new Map(req.indicators.map((k, j) => [k, j]));
  const areas = new Map<string, { values: Float64Array; population: number; suppressed: boolean; invalid: boolean }>();
  const present = new Set<string>();
  for (const r of rows.rows) {
    const area = {
      values: new Float64Array(p).fill(NaN),
      population: NaN,
      suppressed: r.suppressed === true,
      invalid: r.invalid === true,
    };
    areas.set(r.code, area);
    r.indicators.forEach((indicator, i) => {
      if (indicator === null) return; // an area without any of the values
      present.add(indicator);
      const value = r.values[i];
      if (value !== null) area.values[column.get(indicator)!] = Number(value);
      const population = r.populations[i];
      if (population !== null) area.population = Number(population);
    });
  }
  const absent = req.indicators.filter((k) => !present.has(k));
  if (absent.length > 0)
    throw badRequest(`Keine Werte für ${absent.join(', ')} auf Ebene '${req.level}' im Zeitraum ${req.period}`, {
      field: 'indicators',
      indicators: absent,
    });

  const codes: string[] = [];
  const excluded: LoadedInput['excluded'] = [];
  const raw: number[] = [];
  const population: number[] = [];
  for (const [code, area] of areas) {
    if (area.suppressed || area.invalid) {
      excluded.push({
        code,
        reason: area.suppressed ? 'gesperrt (Einwohnerzahl unter der Geheimhaltungsschwelle)' : 'als ungültig markiert',
        indicators: [],
      });
      continue;
    }
    codes.push(code);
    for (let j = 0; j < p; j++) raw.push(area.values[j]);
    population.push(area.population);
  }
  return {
    input: {
      codes,
      indicators: req.indicators.map((k) => ({
        key: k,
        label: byKey.get(k)!.label,
        polarity: Number(byKey.get(k)!.polarity),
      })),
      raw: Float64Array.from(raw),
      population: Float64Array.from(population),
    },
    excluded,
  };
}

/** sha256 over level, period, indicators, codes and values: the same data give the same hash. */
export function fingerprintInput(req: TypologyRequest, input: TypologyInput): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([req.level, req.period, input.indicators.map((i) => [i.key, i.polarity])]));
  h.update(input.codes.join('\n'));
  h.update(Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength));
  if (input.population)
    h.update(Buffer.from(input.population.buffer, input.population.byteOffset, input.population.byteLength));
  return h.digest('hex');
}
