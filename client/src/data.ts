/** Cached reads of the API: the same request is sent once per page life (data is versioned server-side). */
import { fetchJson, q } from './api.js';
import { normalizeRun } from './typology-data.js';
import type {
  AreaDetail,
  ChangeRow,
  HotspotRunSummary,
  Indicator,
  Level,
  NearbyFacility,
  RunSummary,
  SearchHit,
  TypologyMember,
  TypologyRun,
  Values,
} from './types.js';

const cache = new Map<string, Promise<unknown>>();

function cached<T>(url: string): Promise<T> {
  let p = cache.get(url) as Promise<T> | undefined;
  if (!p) {
    p = fetchJson<T>(url);
    cache.set(url, p);
    // Do not keep failures: the endpoint may appear later (server restarted).
    p.catch(() => cache.delete(url));
  }
  return p;
}

export const api = {
  levels: () => cached<Level[]>('/api/levels'),
  /** The confidentiality and coverage thresholds (public read). */
  settings: () => cached<{ suppressionThreshold: number; coverageThreshold: number }>('/api/settings'),
  indicators: (level: string) => cached<Indicator[]>(`/api/indicators${q({ level })}`),
  values: (indicator: string, period: string, level: string) =>
    cached<Values>(`/api/values${q({ indicator, period, level })}`),
  area: (code: string, level: string, period: string) =>
    cached<AreaDetail>(`/api/areas/${encodeURIComponent(code)}${q({ level, period })}`),
  search: (text: string, level: string, limit = 12) =>
    fetchJson<SearchHit[]>(`/api/search${q({ q: text, level, limit })}`),
  /** The nearest facilities of a layer (pflege, kitas) to an area. */
  nearby: (code: string, layer: string, limit = 5) =>
    cached<NearbyFacility[] | Record<string, unknown>>(
      `/api/areas/${encodeURIComponent(code)}/nearby${q({ layer, limit })}`,
    ),
  change: (indicator: string, level: string, from: string, to: string) =>
    cached<{ members: ChangeRow[] }>(`/api/change${q({ indicator, level, from, to })}`),
  typologies: () => fetchJson<RunSummary[]>('/api/typologies'),
  /** k: another k of the run's range (stored types, no recomputation); omitted = the chosen k. */
  typology: (id: string, k?: number) =>
    cached<unknown>(`/api/typologies/${encodeURIComponent(id)}${q({ k })}`).then(normalizeRun) as Promise<TypologyRun>,
  typologyMembers: (id: string, k?: number) =>
    cached<TypologyMember[] | { members: TypologyMember[] }>(
      `/api/typologies/${encodeURIComponent(id)}/members${q({ k })}`,
    ),
  hotspotRun: (id: string) =>
    cached<{ indicator?: string; period?: string; params?: { alpha?: number } }>(
      `/api/hotspots/${encodeURIComponent(id)}`,
    ),
  hotspotRuns: () => fetchJson<HotspotRunSummary[]>('/api/hotspots'),
  hotspotMembers: (id: string) =>
    cached<
      | { code: string; class: number | null; quadrant: string | null; giZ: number | null }[]
      | { members: { code: string; class: number | null; quadrant: string | null; giZ: number | null }[] }
    >(`/api/hotspots/${encodeURIComponent(id)}/members`),
  forget: (prefix: string) => {
    for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
  },
};

/**
 * A run's types and members for k (0 = its chosen k). A k the run did not store (an old run, or a
 * link with a k outside the range) falls back to the chosen k instead of an error: the view stays usable.
 * `k` is the k shown, `chosen` whether it is the run's chosen k.
 */
export async function typologyAt(
  id: string,
  k: number,
): Promise<{ run: TypologyRun; members: TypologyMember[]; k: number; chosen: boolean }> {
  const base = await api.typology(id);
  const other = k > 0 && k !== base.chosenK && (base.availableK ?? []).includes(k) ? k : undefined;
  const [run, mem] = await Promise.all([other ? api.typology(id, other) : base, api.typologyMembers(id, other)]);
  return {
    run,
    members: unwrap<TypologyMember>(mem as TypologyMember[], 'members'),
    k: other ?? base.chosenK,
    chosen: other === undefined,
  };
}

/** Lists may come bare or wrapped as {members: […]}, {runs: […]}; accept both. */
export function unwrap<T>(v: T[] | Record<string, unknown>, key: string): T[] {
  if (Array.isArray(v)) return v;
  const inner = (v as Record<string, unknown>)[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}
