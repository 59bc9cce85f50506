/**
 * Hotspot runs: load an indicator (or a composite) for a level and period, build the weights in
 * PostGIS, run the spatial statistics (analysis/hotspot-analysis.ts), store the run and return it
 * in the shape the CLI prints and the API returns.
 *
 * Which areas are analysed: those of the level with a finite value that is neither suppressed
 * (population below the threshold) nor invalid (validity indicator, e.g. MSS KOM ≠ 0). All other
 * areas are dropped and listed, never zero-filled.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../geodata/db.js';
import { badRequest, notFound } from '../http/errors.js';
import { requireIndicator, requireLevel } from './catalog.js';
import { publishedMembers } from './published.js';
import { hotspotAnalysisInPool } from '../workers/hotspot-task.js';
import { HotspotInputError, dropMissing } from '../../analysis/hotspot-input.js';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import { weightsFromLists } from '../../analysis/spatial-weights.js';
import { firstPrincipalComponent } from '../../analysis/composite.js';
import type { Correction } from '../../analysis/multiple-testing.js';
import type { ClassThreshold } from '../../analysis/hotspot-class.js';
import { canonicalSpec, parseWeightsSpec, subsetWeights } from './weights.js';

export interface HotspotRequest {
  level: string;
  /** YYYY-MM-DD. */
  period: string;
  /** An indicator key, 'pc1:A,B,C' for the first principal component of A, B, C, or 'typology:<runId>' for a typology run's need score. */
  indicator: string;
  /** Weights spec (see services/weights.ts); default HOTSPOT_DEFAULTS.weights (queen). */
  weights?: string;
  /** At most 99 999; default HOTSPOT_DEFAULTS.permutations (999). */
  permutations?: number;
  /** Default HOTSPOT_DEFAULTS.seed (1). */
  seed?: number;
  /** Default HOTSPOT_DEFAULTS.correction (fdr). */
  correction?: Correction;
  /** Default HOTSPOT_DEFAULTS.alpha (0.05). */
  alpha?: number;
}

export interface HotspotMember {
  code: string;
  neighbours: number;
  lisaI: number | null;
  lisaZ: number | null;
  lisaP: number | null;
  lisaPPermutation: number | null;
  quadrant: string | null;
  giZ: number | null;
  giP: number | null;
  class: number | null;
  island: boolean;
  lisaPAdjusted: number | null;
  giPAdjusted: number | null;
}

export interface HotspotGlobal {
  I: number;
  expectedI: number;
  variance: number;
  z: number;
  p: number;
  pPermutation: number | null;
}

export interface HotspotRunOutput {
  runId: number;
  params: Record<string, unknown>;
  dropped: string[];
  islands: string[];
  global: HotspotGlobal;
  members: HotspotMember[];
  classThresholds: ClassThreshold[];
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Values per code for one indicator: null where missing, suppressed or invalid. */
async function indicatorValues(
  db: Queryable,
  level: string,
  period: string,
  indicator: string,
): Promise<Map<string, number | null>> {
  await requireIndicator(db, indicator, 'body');
  const r = await db.query<{ code: string; value: number | null }>(
    `SELECT a.code, CASE WHEN v.primary_suppressed OR v.invalid THEN NULL ELSE v.value END AS value
       FROM area a
       LEFT JOIN indicator_value v ON v.level = a.level AND v.code = a.code AND v.indicator = $2 AND v.period = $3::date
      WHERE a.level = $1
      ORDER BY a.code`,
    [level, indicator, period],
  );
  return new Map(r.rows.map((row) => [row.code, row.value === null ? null : Number(row.value)]));
}

interface LoadedValues {
  codes: string[];
  values: (number | null)[];
  composite: Record<string, unknown> | null;
}

/** The analysed variable: one indicator, or the first principal component of several. */
async function loadVariable(db: Queryable, level: string, period: string, indicator: string): Promise<LoadedValues> {
  const t = /^typology:(\d+)$/i.exec(indicator);
  if (t) return typologyNeed(db, level, Number(t[1]));
  const m = /^pc1:(.+)$/i.exec(indicator);
  if (!m) {
    const vals = await indicatorValues(db, level, period, indicator);
    return { codes: [...vals.keys()], values: [...vals.values()], composite: null };
  }
  const keys = m[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (keys.length < 2) throw badRequest('pc1: mindestens zwei Indikatoren, z. B. pc1:S1,S3,S4');
  const maps: Map<string, number | null>[] = [];
  for (const k of keys) maps.push(await indicatorValues(db, level, period, k));
  const allCodes = [...maps[0].keys()];
  // an area needs every component indicator
  const complete = allCodes.filter((c) =>
    maps.every((mp) => mp.get(c) !== null && mp.get(c) !== undefined && Number.isFinite(mp.get(c)!)),
  );
  if (complete.length < 3)
    throw new HotspotInputError(
      'too_few_areas',
      `Zu wenige Gebiete mit allen Werten: ${complete.length} (mindestens 3 nötig)`,
    );
  const pc = firstPrincipalComponent(maps.map((mp) => Float64Array.from(complete.map((c) => mp.get(c)!))));
  const score = new Map(complete.map((c, i) => [c, pc.scores[i]]));
  return {
    codes: allCodes,
    values: allCodes.map((c) => score.get(c) ?? null),
    composite: {
      kind: 'pc1',
      indicators: keys,
      coefficients: pc.coefficients,
      explainedVariance: pc.explainedVariance,
      standardisation: 'z, population sd (ddof 0)',
    },
  };
}

/**
 * A typology run's need score as an area value: each area gets the need score (mean
 * polarity-adjusted z-score) of its type, from typology_run.result.types. Areas the run did
 * not classify are missing.
 */
async function typologyNeed(db: Queryable, level: string, runId: number): Promise<LoadedValues> {
  const run = await db.query<{ level: string; period: string }>(
    'SELECT level, period::text AS period FROM typology_run WHERE id = $1',
    [runId],
  );
  if (!run.rows[0]) throw badRequest(`Unbekannter Typisierungslauf ${runId}`, { typologyRun: runId });
  if (run.rows[0].level !== level)
    throw badRequest(`Typisierungslauf ${runId} gehört zur Ebene '${run.rows[0].level}', nicht '${level}'`);
  const r = await db.query<{ code: string; value: number | null }>(
    `SELECT a.code, (t.value->>'needScore')::float8 AS value
       FROM area a
       LEFT JOIN typology_member m ON m.run_id = $2 AND m.code = a.code
       LEFT JOIN typology_run r ON r.id = m.run_id
       LEFT JOIN LATERAL (SELECT e AS value FROM jsonb_array_elements(r.result->'types') e WHERE (e->>'type')::int = m.type) t ON true
      WHERE a.level = $1
      ORDER BY a.code`,
    [level, runId],
  );
  if (!r.rows.some((row) => row.value !== null))
    throw badRequest(`Typisierungslauf ${runId} enthält keine Bedarfswerte (needScore) je Typ`);
  return {
    codes: r.rows.map((row) => row.code),
    values: r.rows.map((row) => (row.value === null ? null : Number(row.value))),
    composite: {
      kind: 'typology',
      run: runId,
      period: run.rows[0].period,
      value: "needScore of the area's type (mean polarity-adjusted z-score)",
    },
  };
}

function fingerprint(codes: string[], values: Float64Array, lists: Record<string, string[]>): string {
  const h = createHash('sha256');
  for (let i = 0; i < codes.length; i++) h.update(`${codes[i]}=${values[i]};${lists[codes[i]].join(',')}\n`);
  return h.digest('hex').slice(0, 32);
}

/**
 * Runs fn in a transaction of db; when db is already a transaction's handle (no transaction
 * method, e.g. the first start's default runs), fn joins that one.
 */
function inTransaction<T>(db: Queryable | Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return 'transaction' in db && typeof db.transaction === 'function' ? db.transaction(fn) : fn(db);
}

/**
 * Runs, stores and returns a hotspot analysis. Bad input is a 400 naming the reason. The run row
 * and its members are written in one transaction (the statistics run before it, outside): a
 * failure while storing members leaves no run without members.
 */
export async function runHotspots(db: Queryable | Db, req: HotspotRequest): Promise<HotspotRunOutput> {
  const spec = parseWeightsSpec(req.weights ?? HOTSPOT_DEFAULTS.weights);
  const params = {
    level: req.level,
    period: req.period,
    indicator: req.indicator,
    weights: canonicalSpec(spec),
    permutations: req.permutations ?? HOTSPOT_DEFAULTS.permutations,
    seed: req.seed ?? HOTSPOT_DEFAULTS.seed,
    correction: req.correction ?? HOTSPOT_DEFAULTS.correction,
    alpha: req.alpha ?? HOTSPOT_DEFAULTS.alpha,
  };
  await requireLevel(db, req.level, 'body');
  try {
    const loaded = await loadVariable(db, req.level, req.period, req.indicator);
    const kept = dropMissing(loaded.codes, loaded.values);
    if (kept.codes.length < 3)
      throw new HotspotInputError(
        'too_few_areas',
        `Zu wenige Gebiete mit Werten: ${kept.codes.length} (mindestens 3 nötig)`,
      );
    const nb = await subsetWeights(db, req.level, spec, kept.codes);
    // subsetWeights sorts codes in JS order, which need not be the database collation's order
    const valueOf = new Map(kept.codes.map((c, i) => [c, kept.values[i]]));
    const values = Float64Array.from(nb.codes, (c) => valueOf.get(c)!);
    const w = weightsFromLists(nb.codes, nb.lists);
    const a = await hotspotAnalysisInPool(values, w, {
      permutations: params.permutations,
      seed: params.seed,
      correction: params.correction,
      alpha: params.alpha,
    });
    const islandSet = new Set(a.islands);
    const members: HotspotMember[] = nb.codes.map((code, i) => {
      const island = islandSet.has(i);
      return {
        code,
        neighbours: w.offsets[i + 1] - w.offsets[i],
        lisaI: num(a.local.Ii[i]),
        lisaZ: num(a.local.zConditional[i]),
        lisaP: num(a.local.pConditional[i]),
        lisaPPermutation: a.lisaPPermutation ? num(a.lisaPPermutation[i]) : null,
        quadrant: a.local.quadrant[i],
        giZ: num(a.gi.z[i]),
        giP: num(a.gi.p[i]),
        class: a.classes.classes[i],
        island,
        lisaPAdjusted: num(a.lisaPAdjusted[i]),
        giPAdjusted: num(a.classes.pAdjusted[i]),
      };
    });
    const global: HotspotGlobal = {
      I: a.global.I,
      expectedI: a.global.expectedI,
      variance: a.global.variance,
      z: a.global.z,
      p: a.global.p,
      pPermutation: a.global.pPermutation,
    };
    const fullParams = {
      ...params,
      draws: a.params.draws,
      srid: nb.srid,
      geometryVersion: nb.geometryVersion,
      composite: loaded.composite,
      conventions: {
        moran:
          'row-standardised weights; randomisation variance; p one-sided (greater); pPermutation = (#I_sim ≥ I + 1)/(R + 1)',
        lisa: 'conditional randomisation (spdep ≥ 1.2), two-sided p; lisaPPermutation folded pseudo p, conditional permutation without replacement',
        giStar: 'binary weights including the area itself, two-sided normal p',
        classes: 'Gi* z vs 1.645/1.96/2.576 after converting the corrected p back to z (see classThresholds)',
      },
    };
    const result = {
      global: {
        ...global,
        simulatedMean: a.global.simulatedMean,
        simulatedSd: a.global.simulatedSd,
        nEffective: a.global.nEffective,
      },
      dropped: kept.dropped,
      islands: a.islands.map((i) => nb.codes[i]),
      n: nb.codes.length,
      classThresholds: a.classes.thresholds,
    };
    const fp = fingerprint(nb.codes, values, nb.lists);
    const runId = await inTransaction(db, async (tx) => {
      const run = await tx.query<{ id: string }>(
        `INSERT INTO hotspot_run (level, period, indicator, params, fingerprint, result)
       VALUES ($1, $2::date, $3, $4::jsonb, $5, $6::jsonb) RETURNING id::text`,
        [req.level, req.period, req.indicator, JSON.stringify(fullParams), fp, JSON.stringify(result)],
      );
      const id = Number(run.rows[0].id);
      await tx.query(
        `INSERT INTO hotspot_member (run_id, code, neighbours, lisa_i, lisa_z, lisa_p, lisa_p_perm, quadrant, gi_z, gi_p, class,
                                   lisa_z_total, lisa_p_total, gi_p_perm, lisa_p_adjusted, gi_p_adjusted, lisa_significant, island)
       SELECT $1::bigint, m.* FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::text[],
                                          $9::float8[], $10::float8[], $11::smallint[], $12::float8[], $13::float8[], $14::float8[],
                                          $15::float8[], $16::float8[], $17::boolean[], $18::boolean[]) AS m`,
        [
          id,
          members.map((m) => m.code),
          members.map((m) => m.neighbours),
          members.map((m) => m.lisaI),
          members.map((m) => m.lisaZ),
          members.map((m) => m.lisaP),
          members.map((m) => m.lisaPPermutation),
          members.map((m) => m.quadrant),
          members.map((m) => m.giZ),
          members.map((m) => m.giP),
          members.map((m) => m.class),
          Array.from(a.local.zTotal, num),
          Array.from(a.local.pTotal, num),
          a.giPPermutation ? Array.from(a.giPPermutation, num) : members.map(() => null),
          members.map((m) => m.lisaPAdjusted),
          members.map((m) => m.giPAdjusted),
          a.lisaSignificant,
          members.map((m) => m.island),
        ],
      );
      return id;
    });
    // Areas hidden to protect a neighbour were analysed, but their results are not published.
    const shown = await publishedMembers(db, req.level, req.period, members);
    return {
      runId,
      params: fullParams,
      dropped: kept.dropped,
      islands: result.islands,
      global,
      members: shown,
      classThresholds: a.classes.thresholds,
    };
  } catch (e) {
    if (e instanceof HotspotInputError) throw badRequest(e.message, { reason: e.reason });
    throw e;
  }
}

export interface HotspotRunSummary {
  id: number;
  createdAt: string;
  level: string;
  period: string;
  indicator: string;
  params: Record<string, unknown>;
  fingerprint: string;
  result?: Record<string, unknown>;
}

const RUN_COLUMNS = `id::int AS id, created_at::text AS "createdAt", level, period::text AS period, indicator, params, fingerprint`;

export async function listHotspotRuns(
  db: Queryable,
  filter: { level?: string; indicator?: string } = {},
): Promise<HotspotRunSummary[]> {
  const r = await db.query<HotspotRunSummary>(
    `SELECT ${RUN_COLUMNS}, result->'global' AS global FROM hotspot_run
      WHERE ($1::text IS NULL OR level = $1) AND ($2::text IS NULL OR indicator = $2)
      ORDER BY id DESC LIMIT 200`,
    [filter.level ?? null, filter.indicator ?? null],
  );
  return r.rows;
}

export async function getHotspotRun(db: Queryable, id: number): Promise<HotspotRunSummary> {
  const r = await db.query<HotspotRunSummary>(`SELECT ${RUN_COLUMNS}, result FROM hotspot_run WHERE id = $1`, [id]);
  if (!r.rows[0]) throw notFound(`Unbekannter Hotspot-Lauf ${id}`, { id });
  return r.rows[0];
}

export async function getHotspotMembers(db: Queryable, id: number): Promise<HotspotMember[]> {
  await getHotspotRun(db, id);
  const r = await db.query<HotspotMember>(
    `SELECT code, neighbours, lisa_i AS "lisaI", lisa_z AS "lisaZ", lisa_p AS "lisaP", lisa_p_perm AS "lisaPPermutation", quadrant,
            gi_z AS "giZ", gi_p AS "giP", class::int AS class, island, lisa_p_adjusted AS "lisaPAdjusted", gi_p_adjusted AS "giPAdjusted"
       FROM hotspot_member_public WHERE run_id = $1 ORDER BY code`,
    [id],
  );
  return r.rows;
}
