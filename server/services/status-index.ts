/**
 * Status and dynamics index (MSS method) of a level and period from the database
 * (GET /api/index, `sozialatlas index`, the index_class warning rule, profiles).
 *
 * Validity follows the indicator_value view: an area takes part when it is not suppressed
 * (population ≥ setting suppression_threshold, default 300) and not flagged invalid by the
 * validity indicator (setting validity_indicator, MSS: KOM ≠ 0 means "ungültig"), and has all
 * index indicators. The z-values are computed over these areas only.
 */
import type { Queryable } from '../../geodata/db.js';
import type { IndexMemberOut } from '../api-types.js';
import { badRequest } from '../http/errors.js';
import { requireIndicators, requireLevel, requirePeriod } from './catalog.js';
import {
  compositeIndex,
  classify,
  combinedClass,
  validateCutoffs,
  TooFewAreasError,
  ConstantIndicatorError,
  DEFAULT_STATUS_CUTOFFS,
  DEFAULT_DYNAMICS_CUTOFFS,
  STATUS_LABELS,
  DYNAMICS_LABELS,
  MIN_INDEX_AREAS,
  type StatusCutoffs,
  type DynamicsCutoffs,
  type CompositeResult,
} from '../../analysis/status-index.js';

/** MSS 2021 index indicators (default when the request names none). */
export const DEFAULT_STATUS_INDICATORS = ['S1', 'S3', 'S4'];
export const DEFAULT_DYNAMICS_INDICATORS = ['D1', 'D3', 'D4'];

export type { IndexMemberOut };

export interface IndexRequest {
  level: string;
  period: string;
  /** Default S1, S3, S4. */
  status?: string[];
  /** Default D1, D3, D4. */
  dynamics?: string[];
  /** Default −1, +1, +1.5. */
  statusCutoffs?: StatusCutoffs;
  /** Default ±1. */
  dynamicsCutoffs?: DynamicsCutoffs;
}

export async function computeStatusIndex(db: Queryable, req: IndexRequest) {
  const status = req.status ?? DEFAULT_STATUS_INDICATORS;
  const dynamics = req.dynamics ?? DEFAULT_DYNAMICS_INDICATORS;
  const sc = req.statusCutoffs ?? DEFAULT_STATUS_CUTOFFS;
  const dc = req.dynamicsCutoffs ?? DEFAULT_DYNAMICS_CUTOFFS;
  const cutErr = validateCutoffs(sc, dc);
  if (cutErr) throw badRequest(cutErr);
  // Level, indicators and period come from the query string (GET /api/index): unknown ones are a 400.
  await requireLevel(db, req.level, 'query');
  const all = [...status, ...dynamics];
  const metas = await requireIndicators(db, all, 'query');
  for (const k of all) await requirePeriod(db, req.level, req.period, 'query', { indicator: k });

  const areas = (
    await db.query<{ code: string; name: string | null }>(
      'SELECT code, name FROM area WHERE level = $1 ORDER BY code',
      [req.level],
    )
  ).rows;
  const idx = new Map(areas.map((a, i) => [a.code, i]));
  const n = areas.length;
  const col = new Map(all.map((k) => [k, new Float64Array(n).fill(NaN)]));
  const suppressed = new Uint8Array(n);
  const invalid = new Uint8Array(n);
  const secondary = new Uint8Array(n);
  const r = await db.query<{
    code: string;
    indicator: string;
    value: number | null;
    suppressed: boolean;
    invalid: boolean;
    secondary: boolean;
  }>(
    `SELECT code, indicator, value, primary_suppressed AS suppressed, invalid,
            suppression_reason IS NOT DISTINCT FROM 'secondary' AS secondary FROM indicator_value
      WHERE level = $1 AND period = $2 AND indicator = ANY($3)`,
    [req.level, req.period, all],
  );
  for (const row of r.rows) {
    const i = idx.get(row.code);
    if (i === undefined) continue;
    if (row.suppressed) suppressed[i] = 1;
    if (row.secondary) secondary[i] = 1;
    if (row.invalid) invalid[i] = 1;
    if (row.value !== null) col.get(row.indicator)![i] = row.value;
  }
  const valid = Array.from({ length: n }, (_, i) => !suppressed[i] && !invalid[i]);
  const polarity = (keys: string[]) => keys.map((k) => metas.find((m) => m.key === k)!.polarity);

  const run = (keys: string[], what: string): CompositeResult => {
    try {
      return compositeIndex(
        keys.map((k) => col.get(k)!),
        valid,
        polarity(keys),
        MIN_INDEX_AREAS,
      );
    } catch (e) {
      if (e instanceof TooFewAreasError) {
        throw badRequest(`${what}: nur ${e.valid} gültige Gebiete, der Index braucht mindestens ${e.min}`, {
          valid: e.valid,
          min: e.min,
        });
      }
      if (e instanceof ConstantIndicatorError) {
        throw badRequest(
          `${what}: ${e.column >= 0 ? `Indikator '${keys[e.column]}'` : 'die Summe'} hat keine Streuung über die gültigen Gebiete`,
        );
      }
      throw e;
    }
  };
  const st = run(status, 'Status-Index');
  const dy = run(dynamics, 'Dynamik-Index');
  const classes = classify(st.index, dy.index, sc, dc);

  const members: IndexMemberOut[] = areas.map((a, i) => {
    const c = classes[i];
    const comb = combinedClass(c.statusClass, c.dynamicsClass);
    const inAny = c.statusZ !== null || c.dynamicsZ !== null;
    const reason = suppressed[i]
      ? 'unterdrückt (Einwohnerzahl unter der Geheimhaltungsschwelle)'
      : invalid[i]
        ? 'ungültig (Validitätskennzeichen, z. B. Ausreißer)'
        : c.statusZ === null || c.dynamicsZ === null
          ? 'Indikatorwert fehlt'
          : null;
    return {
      code: a.code,
      name: a.name,
      valid: inAny && reason === null,
      reason,
      statusZ: c.statusZ,
      statusClass: c.statusClass ? STATUS_LABELS[c.statusClass] : null,
      statusCode: c.statusClass,
      dynamicsZ: c.dynamicsZ,
      dynamicsClass: c.dynamicsClass ? DYNAMICS_LABELS[c.dynamicsClass] : null,
      dynamicsCode: c.dynamicsClass,
      combinedClass: comb?.symbol ?? null,
      combinedCode: comb?.code ?? null,
    };
  });
  const count = <K extends keyof IndexMemberOut>(k: K, labels: string[]) =>
    Object.fromEntries(labels.map((l) => [l, members.filter((m) => m[k] === l).length]));
  const counts = {
    status: count('statusClass', Object.values(STATUS_LABELS)),
    dynamics: count('dynamicsClass', Object.values(DYNAMICS_LABELS)),
    invalid: members.filter((m) => !m.valid).length,
  };
  // Areas hidden to protect a small neighbour take part in the index (as in the official MSS), and
  // the class counts include them; their own z-values and classes are published nowhere.
  members.forEach((m, i) => {
    if (!secondary[i]) return;
    Object.assign(m, {
      reason: 'geheim (Schutz vor Rückrechnung)',
      statusZ: null,
      statusClass: null,
      statusCode: null,
      dynamicsZ: null,
      dynamicsClass: null,
      dynamicsCode: null,
      combinedClass: null,
      combinedCode: null,
    });
  });
  return {
    level: req.level,
    period: req.period,
    method:
      'MSS: z-Standardisierung je Indikator über die gültigen Gebiete (einfacher Mittelwert, Standardabweichung der Grundgesamtheit, ddof 0), Summe, erneute Standardisierung; Klassen auf den ungerundeten Werten, Grenzwerte gehören zur mittleren Klasse',
    status: {
      indicators: status,
      cutoffs: sc,
      means: st.means,
      sds: st.sds,
      sumSd: st.sumSd,
      validCount: st.validCount,
    },
    dynamics: {
      indicators: dynamics,
      cutoffs: dc,
      means: dy.means,
      sds: dy.sds,
      sumSd: dy.sumSd,
      validCount: dy.validCount,
    },
    counts,
    members,
  };
}
