/**
 * Reading a typology run for display. Pure. The run JSON is produced by another module
 * (issue 7); a few fields (profile, loadings, explained variance, the comparison table) may
 * come in one of several reasonable shapes, so they are normalised here in one place
 * instead of being guessed at in every chart.
 */
import type { TypeInfo, TypologyMember, TypologyRun } from './types.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN);

/** Mean z per indicator of a type: {S1: 1.2, …}. Accepts {meanZ: {…}|[…]}, {z: …}, [{indicator, meanZ}] or a plain record. */
export function profileZ(type: TypeInfo, indicatorKeys: readonly string[]): Record<string, number> {
  const p = type.profile;
  const fromAny = (v: unknown): Record<string, number> | null => {
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'number')) {
        return Object.fromEntries(indicatorKeys.map((k, i) => [k, num(v[i])]));
      }
      if (v.every(isRec)) {
        const out: Record<string, number> = {};
        for (const row of v as Rec[]) {
          const key = String(row.indicator ?? row.key ?? '');
          if (key) out[key] = num(row.meanZ ?? row.z ?? row.mean_z);
        }
        return out;
      }
      return null;
    }
    if (isRec(v)) {
      const vals = Object.values(v);
      if (vals.length > 0 && vals.every((x) => typeof x === 'number')) return v as Record<string, number>;
    }
    return null;
  };
  if (isRec(p)) {
    for (const k of ['meanZ', 'z', 'mean_z', 'zMeans']) {
      const r = fromAny(p[k]);
      if (r) return r;
    }
  }
  return fromAny(p) ?? {};
}

/** Stability of a type (mean Jaccard), from the type itself, its profile, or null when not computed. */
export function typeStability(type: TypeInfo): number | null {
  const s =
    type.stability ??
    (isRec(type.profile) ? ((type.profile as Rec).stability ?? (type.profile as Rec).jaccard) : undefined);
  const v = num(s);
  return Number.isFinite(v) ? v : null;
}

/** Explained variance ratios per component (0..1). */
export function explainedRatios(run: TypologyRun): number[] {
  const ev = run.explainedVariance;
  if (Array.isArray(ev)) return ev.map(num);
  if (isRec(ev)) {
    for (const k of ['ratio', 'ratios', 'explainedVarianceRatio', 'proportion'])
      if (Array.isArray(ev[k])) return (ev[k] as unknown[]).map(num);
  }
  return [];
}

/**
 * Eigenvalues per component for the scree plot. Taken from the run when given; otherwise
 * derived from the ratios: with standardised indicators the eigenvalues sum to p, so λ = ratio·p
 * (exact for z-scores, the default; an approximation for robust/min-max scaling).
 */
export function eigenvalues(run: TypologyRun): number[] {
  if (Array.isArray(run.eigenvalues)) return run.eigenvalues.map(num);
  const pca = (run as unknown as Rec).pca;
  if (isRec(pca) && Array.isArray(pca.eigenvalues)) return (pca.eigenvalues as unknown[]).map(num);
  const ev = run.explainedVariance;
  if (isRec(ev) && Array.isArray(ev.eigenvalues)) return (ev.eigenvalues as unknown[]).map(num);
  const p = run.params?.indicators?.length ?? 0;
  return explainedRatios(run).map((r) => r * p);
}

export interface LoadingCell {
  indicator: string;
  component: string;
  value: number;
}

/** Loadings as long-form cells for a heatmap. Accepts number[][] (indicators × PCs), {S1: […]}, or [{indicator, loadings}]. */
export function loadingCells(run: TypologyRun): LoadingCell[] {
  const keys = run.params?.indicators ?? [];
  const L = run.loadings;
  const cells: LoadingCell[] = [];
  const push = (ind: string, row: unknown) => {
    if (!Array.isArray(row)) return;
    row.forEach((v, j) => cells.push({ indicator: ind, component: `HK ${j + 1}`, value: num(v) }));
  };
  if (Array.isArray(L)) {
    L.forEach((row, i) => {
      if (isRec(row)) push(String(row.indicator ?? row.key ?? keys[i]), row.loadings ?? row.values);
      else push(keys[i] ?? String(i + 1), row);
    });
  } else if (isRec(L)) {
    const inner = Array.isArray(L.matrix) ? L.matrix : Array.isArray(L.values) ? L.values : null;
    if (inner) (inner as unknown[]).forEach((row, i) => push(keys[i] ?? String(i + 1), row));
    else for (const [k, row] of Object.entries(L)) push(k, row);
  }
  return cells.filter((c) => Number.isFinite(c.value));
}

export interface TransitionCell {
  from: number;
  to: number;
  count: number;
}

/** Comparison table as cells. Accepts number[][] (row = type in a, 1-based by position), [{from,to,count}] or {"1": {"2": n}}. */
export function transitionCells(table: unknown): TransitionCell[] {
  const out: TransitionCell[] = [];
  if (Array.isArray(table)) {
    table.forEach((row, i) => {
      if (Array.isArray(row)) row.forEach((c, j) => out.push({ from: i + 1, to: j + 1, count: num(c) }));
      else if (isRec(row))
        out.push({ from: num(row.from ?? row.a), to: num(row.to ?? row.b), count: num(row.count ?? row.n) });
    });
  } else if (isRec(table) && Array.isArray(table.counts)) {
    // {typesA, typesB, counts}: counts[i][j] areas went from typesA[i] to typesB[j].
    const ta = Array.isArray(table.typesA) ? (table.typesA as unknown[]).map(num) : [];
    const tb = Array.isArray(table.typesB) ? (table.typesB as unknown[]).map(num) : [];
    (table.counts as unknown[]).forEach((row, i) => {
      if (Array.isArray(row))
        row.forEach((c, j) => out.push({ from: ta[i] ?? i + 1, to: tb[j] ?? j + 1, count: num(c) }));
    });
  } else if (isRec(table)) {
    for (const [a, row] of Object.entries(table)) {
      if (isRec(row))
        for (const [b, c] of Object.entries(row)) out.push({ from: Number(a), to: Number(b), count: num(c) });
    }
  }
  return out.filter((c) => Number.isFinite(c.count));
}

/** Members as CSV (semicolon, the separator German spreadsheet programs expect; decimal point kept for re-use). */
export function membersCsv(
  members: readonly TypologyMember[],
  names: ReadonlyMap<string, string>,
  types: readonly TypeInfo[],
): string {
  const label = new Map(types.map((t) => [t.type, t.label]));
  const esc = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['code;name;typ;bezeichnung;silhouette;stabilitaet'];
  for (const m of members) {
    lines.push(
      [
        m.code,
        names.get(m.code) ?? '',
        String(m.type),
        m.label ?? label.get(m.type) ?? '',
        m.silhouette ?? '',
        m.stability ?? '',
      ]
        .map((v) => esc(String(v)))
        .join(';'),
    );
  }
  return lines.join('\n') + '\n';
}

/** Join members onto area features (GeoJSON export). Features without a member keep type null. */
export function membersGeoJson(
  areas: {
    type: 'FeatureCollection';
    features: { type: 'Feature'; properties: Record<string, unknown> | null; geometry: unknown }[];
  },
  members: readonly TypologyMember[],
): typeof areas {
  const byCode = new Map(members.map((m) => [m.code, m]));
  return {
    type: 'FeatureCollection',
    features: areas.features.map((f) => {
      const code = String(f.properties?.code ?? '');
      const m = byCode.get(code);
      return {
        ...f,
        properties: {
          ...f.properties,
          type: m?.type ?? null,
          silhouette: m?.silhouette ?? null,
          stability: m?.stability ?? null,
        },
      };
    }),
  };
}

/**
 * A run as the client uses it. POST /api/typologies answers with the run itself ({runId, …});
 * GET /api/typologies/{id} answers with the stored row ({id, params, types (short), result: {…}}).
 * Both become one shape: the full result's fields, with the row's id and params.
 */
export function normalizeRun(raw: unknown): TypologyRun {
  if (!isRec(raw)) throw new Error('Lauf ohne Inhalt');
  const inner = isRec(raw.result) ? raw.result : {};
  const types = Array.isArray(inner.types) ? inner.types : raw.types;
  return {
    ...inner,
    ...raw,
    types: withPlainTypeTexts(
      (Array.isArray(types) ? types : []) as TypeInfo[],
      Array.isArray(raw.types) && raw.types !== types ? (raw.types as unknown[]) : [],
    ),
    params: (raw.params ?? inner.params) as TypologyRun['params'],
    chosenK: num(raw.chosenK ?? inner.chosenK),
    runId: (raw.runId ?? raw.id ?? inner.runId) as TypologyRun['runId'],
    members: (Array.isArray(raw.members) ? raw.members : inner.members) as TypologyRun['members'],
  } as TypologyRun;
}

/**
 * The full result's types (profile, the researchers' label and description) with the plain texts
 * of the row's short types (GET /api/typologies/{id}: name, plain description, needRank, whether
 * suggested): the research view keeps its wording, counselling reads name and plainDescription.
 */
export function withPlainTypeTexts(types: readonly TypeInfo[], rowTypes: readonly unknown[]): TypeInfo[] {
  const byType = new Map(rowTypes.filter(isRec).map((t) => [num(t.type), t]));
  return types.map((t) => {
    const row = byType.get(num(t.type));
    if (!row) return t;
    const out: TypeInfo = { ...t };
    if (typeof row.name === 'string') out.name = row.name;
    if (typeof row.description === 'string') out.plainDescription = row.description;
    if (Number.isFinite(num(row.needRank))) out.needRank = num(row.needRank);
    if (typeof row.suggested === 'boolean') out.suggested = row.suggested;
    return out;
  });
}
