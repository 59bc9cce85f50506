/**
 * Typology service: the one code path behind POST /api/typologies and `sozialatlas typology`.
 *
 * 1. validate the request (zod; unknown level, period or indicator → 400 naming it);
 * 2. read the indicator matrix from the indicator_value view: areas flagged suppressed or
 *    invalid are excluded (and listed in `dropped`), missing values stay NaN for the pipeline
 *    (dropped and counted, or mean-imputed on request; never zero-filled);
 * 3. run analysis/typology.ts in a worker thread (server/workers/typology-worker.ts);
 * 4. store typology_run (params with defaults, data fingerprint, result) and typology_member.
 * Up to SYNC_LIMIT areas the API waits for the run; above it the run becomes a job.
 *
 * Every k of the run's range is stored (result.typesByK, typology_member.type_by_k and
 * silhouette_by_k, aligned with result.byK), so reads take an optional k (typologyKView): the
 * chosen k answers from the original columns exactly as before; another k from the arrays, with
 * stability null (bootstrap runs for the chosen k only). Runs stored before migration 006 have
 * neither and offer their chosen k only.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Db, Queryable } from '../../geodata/db.js';
import { badRequest, notFound } from '../http/errors.js';
import type { TypologyInput, TypologyOptions, TypologyResult, TypologyType } from '../../analysis/typology.js';
import { typologyKView, type TypologyKView } from '../../analysis/typology-k-view.js';
import { adjustedRandIndex, transitionTable } from '../../analysis/adjusted-rand.js';
import { startJob, type Job } from '../jobs.js';
import { isoDate } from '../http/params.js';
import { TYPOLOGY_DEFAULTS as D } from '../../analysis/typology-defaults.js';

/** Areas up to which POST /api/typologies answers synchronously (issue 7: 5 000). */
export const SYNC_LIMIT = 5000;

const key = z.string().regex(/^[A-Za-z0-9_.-]{1,60}$/, 'Schlüssel: Buchstaben, Ziffern, _ . -');

/** The request, shared by API and CLI; every default is filled in here, so params are complete. */
export const typologyRequestSchema = z
  .object({
    level: key,
    period: isoDate,
    indicators: z.union([z.array(key).min(1).max(60), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]).pipe(z.array(key).min(1, 'mindestens ein Indikator').max(60)),
    standardize: z.enum(['z', 'robust', 'minmax']).default(D.standardize),
    weights: z.record(key, z.number().positive('Gewichte müssen > 0 sein')).optional(),
    alignPolarity: z.boolean().default(D.alignPolarity),
    missing: z.enum(['drop', 'impute-mean']).default(D.missing),
    pca: z.union([z.literal('none'), z.literal('kaiser'), z.number().positive()]).default(D.pca),
    rotation: z.enum(['none', 'varimax']).default(D.rotation),
    clusterOn: z.enum(['z', 'pcs']).default(D.clusterOn),
    k: z.number().int('k muss ganzzahlig sein').min(2, 'k muss mindestens 2 sein').optional(),
    kRange: z.tuple([z.number().int().min(2, 'k muss mindestens 2 sein'), z.number().int().min(2)]).refine(([a, b]) => a <= b, 'kRange: Anfang ≤ Ende').optional(),
    restarts: z.number().int().min(1).max(1000).default(D.restarts),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(D.seed),
    maxIterations: z.number().int().min(1).max(10000).default(D.maxIterations),
    tolerance: z.number().nonnegative().max(1).default(D.tolerance),
    bootstrap: z.number().int().min(0).max(1000).default(D.bootstrap),
    bootstrapRestarts: z.number().int().min(1).max(100).default(D.bootstrapRestarts),
  })
  .strict();

export type TypologyRequest = z.infer<typeof typologyRequestSchema>;

/** What the CLI prints with --json and the API returns (members included). */
export interface TypologyOutput extends Omit<TypologyResult, 'dropped'> {
  runId: number;
  createdAt: string;
  level: string;
  period: string;
  params: TypologyRequest;
  fingerprint: string;
  dropped: { code: string; reason: string; indicators?: string[] }[];
}

interface LoadedInput {
  input: TypologyInput;
  excluded: { code: string; reason: string; indicators: string[] }[];
}

/** Reads the matrix for a request; throws 400 for unknown level, period or indicators. */
export async function loadTypologyInput(db: Queryable, req: TypologyRequest): Promise<LoadedInput> {
  const level = await db.query('SELECT 1 FROM level WHERE key = $1', [req.level]);
  if (!level.rows[0]) throw badRequest(`Unbekannte Ebene '${req.level}'`, { field: 'level', level: req.level });
  const period = await db.query('SELECT 1 FROM observation WHERE level = $1 AND period = $2::date LIMIT 1', [req.level, req.period]);
  if (!period.rows[0]) throw badRequest(`Keine Daten für Zeitraum '${req.period}' auf Ebene '${req.level}'`, { field: 'period', period: req.period });
  const meta = await db.query<{ key: string; label: string; polarity: number }>('SELECT key, label, polarity FROM indicator WHERE key = ANY($1::text[])', [req.indicators]);
  const byKey = new Map(meta.rows.map((r) => [r.key, r]));
  const unknown = req.indicators.filter((k) => !byKey.has(k));
  if (unknown.length > 0) throw badRequest(`Unbekannte Indikatoren: ${unknown.join(', ')}`, { field: 'indicators', indicators: unknown });
  if (new Set(req.indicators).size !== req.indicators.length) throw badRequest('Indikatoren doppelt angegeben', { field: 'indicators' });
  for (const w of Object.keys(req.weights ?? {}))
    if (!byKey.has(w) || !req.indicators.includes(w)) throw badRequest(`Gewicht für '${w}', der nicht unter den Indikatoren ist`, { field: 'weights', indicator: w });

  const rows = await db.query<{ code: string; indicator: string; value: number | null; suppressed: boolean | null; invalid: boolean | null; population: number | null }>(
    `SELECT a.code, v.indicator, v.value, v.suppressed, v.invalid, v.population
       FROM area a
       LEFT JOIN indicator_value v ON v.level = a.level AND v.code = a.code AND v.period = $2::date AND v.indicator = ANY($3::text[])
      WHERE a.level = $1
      ORDER BY a.code`,
    [req.level, req.period, req.indicators],
  );
  const p = req.indicators.length;
  const column = new Map(req.indicators.map((k, j) => [k, j]));
  const areas = new Map<string, { values: Float64Array; population: number; suppressed: boolean; invalid: boolean }>();
  const present = new Set<string>();
  for (const r of rows.rows) {
    let area = areas.get(r.code);
    if (!area) {
      area = { values: new Float64Array(p).fill(NaN), population: NaN, suppressed: false, invalid: false };
      areas.set(r.code, area);
    }
    if (r.indicator === null) continue;
    present.add(r.indicator);
    if (r.value !== null) area.values[column.get(r.indicator)!] = Number(r.value);
    if (r.population !== null) area.population = Number(r.population);
    if (r.suppressed) area.suppressed = true;
    if (r.invalid) area.invalid = true;
  }
  const absent = req.indicators.filter((k) => !present.has(k));
  if (absent.length > 0) throw badRequest(`Keine Werte für ${absent.join(', ')} auf Ebene '${req.level}' im Zeitraum ${req.period}`, { field: 'indicators', indicators: absent });

  const codes: string[] = [];
  const excluded: LoadedInput['excluded'] = [];
  const raw: number[] = [];
  const population: number[] = [];
  for (const [code, area] of areas) {
    if (area.suppressed || area.invalid) {
      excluded.push({ code, reason: area.suppressed ? 'gesperrt (Einwohnerzahl unter der Geheimhaltungsschwelle)' : 'als ungültig markiert', indicators: [] });
      continue;
    }
    codes.push(code);
    for (let j = 0; j < p; j++) raw.push(area.values[j]);
    population.push(area.population);
  }
  return {
    input: {
      codes,
      indicators: req.indicators.map((k) => ({ key: k, label: byKey.get(k)!.label, polarity: Number(byKey.get(k)!.polarity) })),
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
  if (input.population) h.update(Buffer.from(input.population.buffer, input.population.byteOffset, input.population.byteLength));
  return h.digest('hex');
}

function optionsOf(req: TypologyRequest): TypologyOptions {
  return {
    standardize: req.standardize,
    weights: req.weights,
    alignPolarity: req.alignPolarity,
    missing: req.missing,
    pca: req.pca,
    rotation: req.rotation,
    clusterOn: req.clusterOn,
    k: req.k,
    kRange: req.kRange,
    restarts: req.restarts,
    seed: req.seed,
    maxIterations: req.maxIterations,
    tolerance: req.tolerance,
    bootstrap: req.bootstrap,
    bootstrapRestarts: req.bootstrapRestarts,
  };
}

/** Runs the pure pipeline in a worker thread; input errors come back as 400. */
export function runInWorker(input: TypologyInput, options: TypologyOptions, onProgress: (fraction: number, stage: string) => void = () => {}): Promise<TypologyResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../workers/ts-worker.mjs', import.meta.url), {
      workerData: { entry: new URL('../workers/typology-worker.ts', import.meta.url).href, input, options },
    });
    let settled = false;
    worker.on('message', (m: { kind: string; fraction?: number; stage?: string; result?: TypologyResult; inputError?: { field: string; message: string; details: unknown } | null; message?: string }) => {
      if (m.kind === 'progress') onProgress(m.fraction!, m.stage!);
      else if (m.kind === 'result') {
        settled = true;
        resolve(m.result!);
      } else if (m.kind === 'error') {
        settled = true;
        reject(m.inputError ? badRequest(m.inputError.message, { field: m.inputError.field, ...(m.inputError.details as object | null) }) : new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`Typisierungs-Worker beendet mit Code ${code}`));
    });
  });
}

/** Stores a finished run; returns its id. */
async function storeRun(db: Db, req: TypologyRequest, fingerprint: string, result: TypologyResult, excluded: LoadedInput['excluded']): Promise<{ id: number; createdAt: string }> {
  const { members, ...rest } = result;
  const stored = { ...rest, dropped: [...excluded, ...result.dropped] };
  return db.transaction(async (tx) => {
    const run = await tx.query<{ id: string; created_at: string | Date }>(
      `INSERT INTO typology_run (level, period, params, fingerprint, chosen_k, result, indicators, n_areas)
       VALUES ($1, $2::date, $3::jsonb, $4, $5, $6::jsonb, $7::text[], $8) RETURNING id::text, created_at`,
      [req.level, req.period, JSON.stringify(req), fingerprint, result.chosenK, JSON.stringify(stored), req.indicators, result.n],
    );
    const id = Number(run.rows[0].id);
    const labelOf = new Map(result.types.map((t) => [t.type, t.label]));
    // Arrays keep their JSON order (WITH ORDINALITY): type_by_k[i] belongs to result.byK[i].
    await tx.query(
      `INSERT INTO typology_member (run_id, code, type, label, silhouette, stability, scores, type_by_k, silhouette_by_k)
       SELECT $1::bigint, m.code, m.type, m.label, m.silhouette, m.stability,
              ARRAY(SELECT x.v::float8 FROM jsonb_array_elements_text(m.scores) WITH ORDINALITY AS x(v, i) ORDER BY x.i),
              ARRAY(SELECT x.v::int FROM jsonb_array_elements_text(m."typeByK") WITH ORDINALITY AS x(v, i) ORDER BY x.i),
              ARRAY(SELECT x.v::float8 FROM jsonb_array_elements_text(m."silhouetteByK") WITH ORDINALITY AS x(v, i) ORDER BY x.i)
         FROM jsonb_to_recordset($2::jsonb)
           AS m(code text, type int, label text, silhouette float8, stability float8, scores jsonb, "typeByK" jsonb, "silhouetteByK" jsonb)`,
      [id, JSON.stringify(members.map((m) => ({ ...m, label: labelOf.get(m.type) ?? null })))],
    );
    return { id, createdAt: new Date(run.rows[0].created_at).toISOString() };
  });
}

/** Validates, loads, runs in a worker and stores: the whole run, awaited. */
export async function createTypology(ctx: AppContext, body: unknown, onProgress?: (fraction: number, stage: string) => void): Promise<TypologyOutput> {
  const req = parseRequest(body);
  const loaded = await loadTypologyInput(ctx.db, req);
  return runLoaded(ctx, req, loaded, onProgress);
}

async function runLoaded(ctx: AppContext, req: TypologyRequest, loaded: LoadedInput, onProgress?: (fraction: number, stage: string) => void): Promise<TypologyOutput> {
  const fingerprint = fingerprintInput(req, loaded.input);
  const result = await runInWorker(loaded.input, optionsOf(req), onProgress);
  const { id, createdAt } = await storeRun(ctx.db, req, fingerprint, result, loaded.excluded);
  return { runId: id, createdAt, level: req.level, period: req.period, params: req, fingerprint, ...result, dropped: [...loaded.excluded, ...result.dropped] };
}

/** API entry: runs up to syncLimit areas (default SYNC_LIMIT) are awaited ('done'); larger ones start a job ('job'). */
export async function submitTypology(ctx: AppContext, body: unknown, syncLimit = SYNC_LIMIT): Promise<{ kind: 'done'; output: TypologyOutput } | { kind: 'job'; job: Job }> {
  const req = parseRequest(body);
  const loaded = await loadTypologyInput(ctx.db, req);
  if (loaded.input.codes.length <= syncLimit) return { kind: 'done', output: await runLoaded(ctx, req, loaded) };
  const job = startJob('typology', async (report) => {
    const out = await runLoaded(ctx, req, loaded, (f, stage) => report(f * 0.97, stage));
    return { runId: out.runId, chosenK: out.chosenK, n: out.n, url: `/api/typologies/${out.runId}` };
  });
  return { kind: 'job', job };
}

export function parseRequest(body: unknown): TypologyRequest {
  const r = typologyRequestSchema.safeParse(body);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  throw badRequest(`Ungültige Angaben: ${details[0].field || '(Wurzel)'}: ${details[0].message}`, details);
}

export interface TypologyRunSummary {
  id: number;
  createdAt: string;
  level: string;
  period: string;
  indicators: string[];
  chosenK: number;
  n: number | null;
  fingerprint: string;
  types: { type: number; label: string; size: number }[];
}

const SUMMARY_COLUMNS = `id::text AS id, created_at AS "createdAt", level, to_char(period, 'YYYY-MM-DD') AS period, indicators,
  chosen_k AS "chosenK", n_areas AS n, fingerprint`;

function summary(row: Record<string, unknown>): TypologyRunSummary {
  const result = row.result as { types?: { type: number; label: string; size: number }[] } | undefined;
  return {
    id: Number(row.id),
    createdAt: new Date(row.createdAt as string).toISOString(),
    level: row.level as string,
    period: row.period as string,
    indicators: row.indicators as string[],
    chosenK: Number(row.chosenK),
    n: row.n === null ? null : Number(row.n),
    fingerprint: row.fingerprint as string,
    types: (result?.types ?? []).map((t) => ({ type: t.type, label: t.label, size: t.size })),
  };
}

export async function listTypologies(db: Queryable, filter: { level?: string; period?: string } = {}): Promise<TypologyRunSummary[]> {
  const r = await db.query(
    `SELECT ${SUMMARY_COLUMNS}, jsonb_build_object('types', result->'types') AS result FROM typology_run
      WHERE ($1::text IS NULL OR level = $1) AND ($2::date IS NULL OR period = $2::date)
      ORDER BY id DESC`,
    [filter.level ?? null, filter.period ?? null],
  );
  return r.rows.map(summary);
}

/** The k of a stored run to show: ?k=N on the run, members and tile routes (2 … 99, integer). */
export const typeKParam = z.coerce
  .number({ error: 'k muss eine ganze Zahl sein' })
  .int('k muss eine ganze Zahl sein')
  .min(2, 'k muss mindestens 2 sein')
  .max(99, 'k darf höchstens 99 sein');

function kViewOr400(runId: number, chosenK: number, typesByK: unknown, k?: number): TypologyKView {
  const view = typologyKView(runId, chosenK, typesByK as { k: number; types: TypologyType[] }[] | null, k);
  if ('error' in view) throw badRequest(view.error, { field: 'k', k });
  return view;
}

/**
 * One run: summary, params and result. With k (another k of the run's range) the types in the
 * summary and in result are that k's; `k` says which k is shown, `availableK` which k can be asked
 * for. result.typesByK is left out: each k is one request away, and the default answer stays as it was.
 */
export async function getTypology(db: Queryable, id: number, k?: number): Promise<TypologyRunSummary & { k: number; availableK: number[]; params: unknown; result: unknown }> {
  const r = await db.query(`SELECT ${SUMMARY_COLUMNS}, params, result FROM typology_run WHERE id = $1`, [id]);
  if (!r.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
  const row = r.rows[0];
  const { typesByK, ...result } = (row.result ?? {}) as Record<string, unknown> & { typesByK?: unknown };
  const view = kViewOr400(id, Number(row.chosenK), typesByK, k);
  const shownResult = view.types ? { ...result, types: view.types } : result;
  return { ...summary({ ...row, result: shownResult }), k: view.k, availableK: view.availableK, params: row.params, result: shownResult };
}

export interface TypologyMemberRow {
  code: string;
  type: number;
  label: string | null;
  silhouette: number | null;
  stability: number | null;
  scores: number[];
}

/** Per-area types of a run, for its chosen k (default) or another stored k (stability null there: no bootstrap). */
export async function getTypologyMembers(db: Queryable, id: number, k?: number): Promise<TypologyMemberRow[]> {
  const run = await db.query<{ chosen_k: number; types_by_k: unknown }>(
    `SELECT chosen_k, ${k === undefined ? 'NULL' : "result->'typesByK'"} AS types_by_k FROM typology_run WHERE id = $1`,
    [id],
  );
  if (!run.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
  const view = kViewOr400(id, Number(run.rows[0].chosen_k), run.rows[0].types_by_k, k);
  const r =
    view.index === null
      ? await db.query<TypologyMemberRow>('SELECT code, type, label, silhouette, stability, scores FROM typology_member WHERE run_id = $1 ORDER BY code', [id])
      : await db.query<TypologyMemberRow>(
          `SELECT code, type_by_k[$2] AS type, NULL::text AS label, silhouette_by_k[$2] AS silhouette, NULL::float8 AS stability, scores
             FROM typology_member WHERE run_id = $1 ORDER BY code`,
          [id, view.index],
        );
  const labelOf = new Map((view.types ?? []).map((t) => [t.type, t.label]));
  return r.rows.map((m) => ({
    ...m,
    type: Number(m.type),
    label: m.label ?? labelOf.get(Number(m.type)) ?? null,
    silhouette: m.silhouette === null ? null : Number(m.silhouette),
    stability: m.stability === null ? null : Number(m.stability),
    scores: (m.scores ?? []).map(Number),
  }));
}

/** ARI and transition table between two runs, on the areas both classified. */
export async function compareTypologies(db: Queryable, a: number, b: number) {
  const [ma, mb] = [await getTypologyMembers(db, a), await getTypologyMembers(db, b)];
  const typeB = new Map(mb.map((m) => [m.code, m.type]));
  const common = ma.filter((m) => typeB.has(m.code));
  const la = common.map((m) => m.type);
  const lb = common.map((m) => typeB.get(m.code)!);
  const table = common.length > 0 ? transitionTable(la, lb) : { rowLabels: [], colLabels: [], counts: [] };
  const codesA = new Set(ma.map((m) => m.code));
  return {
    a,
    b,
    nCommon: common.length,
    onlyInA: ma.length - common.length,
    onlyInB: mb.filter((m) => !codesA.has(m.code)).length,
    adjustedRandIndex: common.length > 1 ? adjustedRandIndex(la, lb) : null,
    unchanged: common.filter((m, i) => m.type === lb[i]).length,
    transitions: table.rowLabels.flatMap((from, r) => table.colLabels.map((to, c) => ({ from, to, count: table.counts[r][c] })).filter((t) => t.count > 0)),
    table: { typesA: table.rowLabels, typesB: table.colLabels, counts: table.counts },
  };
}

export async function deleteTypology(db: Queryable, id: number): Promise<void> {
  const r = await db.query('DELETE FROM typology_run WHERE id = $1 RETURNING id', [id]);
  if (!r.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
}

/**
 * The default run on first start (Berlin sample): MSS status and context indicators, k = 5.
 * Why not the suggestion rule: on these nine indicators silhouette, CH and DB all pick k = 2
 * (poorer vs. the rest), which says little on a map; k = 5 is the elbow of the inertia curve and
 * the metrics of every k in 2..10 are still stored with the run.
 */
export const DEFAULT_TYPOLOGY: TypologyRequest = typologyRequestSchema.parse({
  level: 'plr',
  period: '2020-12-31',
  indicators: ['S1', 'S3', 'S4', 'KI_01', 'KI_02', 'KI_03', 'KI_05', 'KI_10', 'KI_11'],
  k: 5,
  kRange: [2, 10],
});

/** Computes the default typology when no run exists yet. Returns the run id, or null when a run already existed. */
export async function computeDefaultTypology(ctx: AppContext): Promise<number | null> {
  const existing = await ctx.db.query('SELECT 1 FROM typology_run LIMIT 1');
  if (existing.rows[0]) return null;
  const out = await createTypology(ctx, DEFAULT_TYPOLOGY);
  ctx.log.info({ runId: out.runId, chosenK: out.chosenK }, 'Standard-Typisierung gespeichert');
  return out.runId;
}
