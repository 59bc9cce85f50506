/**
 * Map contents per display mode: the fill colour rule and its legend, built from the same numbers
 * so map and legend can never disagree. Styles read tile properties first (value, type, class,
 * quadrant) and fall back to the API rows by code (GeoJSON mode, or tiles without that property).
 */
import type { FeatureLike } from 'ol/Feature.js';
import type Style from 'ol/style/Style.js';
import { classBreaks, classCounts, classOf, CLASS_METHODS, divergingBreaks, type ClassMethod } from './classify.js';
import { decimalsFor } from './format.js';
import { areasCount, categoryLegendEntries, classLegendEntries, type Legend, type LegendSection } from './legend.js';
import type { HotspotMember } from './hotspot-data.js';
import {
  OVERLAY_STYLE,
  overlayCategories,
  overlayLabel,
  overlayLegend,
  type OverlayLevel,
  type OverlayMode,
  type OverlayRunInfo,
} from './hotspot-overlay.js';
import type { FillSpec, OverlaySpec } from './map.js';
import { hatchStyle } from './map-styles.js';
import {
  divergingPalette,
  HOTSPOT_CLASS_COLOURS,
  HOTSPOT_CLASS_LABELS,
  LISA_COLOURS,
  LISA_LABELS,
  NO_DATA_COLOUR,
  needColour,
  needRankOf,
  sequentialPalette,
  typeColour,
  UNTYPED_COLOUR,
  UNTYPED_FILL,
} from './palettes.js';
import { plainTypeName } from './plain-language.js';
import type { ChangeRow, Indicator, TypeInfo, TypologyMember, Values } from './types.js';
import { formatPeriod, formatSigned, formatUpTo } from './format.js';
import { INCOMPLETE } from './value-source.js';
import { estimatedLegendLabel } from './value-text.js';

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface LayerResult {
  fill: FillSpec;
  legend: Legend;
  /** Text after the area name in the hover tooltip; null = the name alone. */
  hover?: (code: string) => string | null;
}

/**
 * @param coverageThreshold percent of the children's population below which the server flags an
 *   aggregate incomplete (GET /api/settings), for the legend's wording; undefined = not known.
 */
export function indicatorLayer(
  ind: Indicator,
  values: Values,
  level: string,
  method: ClassMethod,
  classes: number,
  coverageThreshold?: number,
): LayerResult {
  const byCode = new Map(values.values.map((r) => [r.code, r.suppressed ? null : r.value]));
  // Aggregates below the coverage threshold; a hidden value is never marked (it is not shown at all).
  const incomplete = new Set(
    values.values.filter((r) => r.incomplete && !r.suppressed && r.value !== null).map((r) => r.code),
  );
  const vals = [...byCode.values()];
  const limits = classBreaks(vals, method, classes);
  const colours = sequentialPalette(ind.polarity, limits.length - 1);
  const counts = classCounts(vals, limits);
  const missing = vals.filter((v) => v === null || v === undefined).length;
  const decimals = decimalsFor(ind.unit, ind.kind);
  const params = `level=${encodeURIComponent(level)}&method=${method}&classes=${limits.length - 1}`;
  return {
    fill: {
      tiles: `/tiles/indicator/${encodeURIComponent(ind.key)}/${values.period}/{z}/{x}/{y}.pbf?${params}`,
      level,
      revision: `ind/${ind.key}/${values.period}/${method}/${limits.join(',')}`,
      colour: (code: string, f: FeatureLike) => {
        // Tile value (null where suppressed) first; the API row when the tile carries none.
        const tv = f.get('value');
        const v = tv === undefined ? byCode.get(code) : numOrNull(tv);
        const c = classOf(v, limits);
        return c < 0 ? NO_DATA_COLOUR : colours[c];
      },
      incomplete: (code: string, f: FeatureLike) => {
        // The tile's flag first (tiles carry it for every value); the API row otherwise.
        const t = f.get('incomplete');
        return typeof t === 'boolean' ? t && f.get('value') !== null : incomplete.has(code);
      },
    },
    legend: {
      title: `${ind.label}${ind.unit ? ` (${ind.unit})` : ''}`,
      subtitle: `${formatPeriod(values.period)} · ${CLASS_METHODS.find((m) => m.key === method)?.label ?? method}`,
      entries: classLegendEntries(limits, colours, ind.unit, decimals, counts),
      noData: missing
        ? { colour: NO_DATA_COLOUR, label: `keine Angabe (geheim oder fehlend): ${areasCount(missing)}` }
        : undefined,
      incomplete: incomplete.size
        ? { label: incompleteLegendLabel(coverageThreshold), count: incomplete.size }
        : undefined,
      estimated: estimatedLegendLabel(values.values) ?? undefined,
      note: ind.polarity !== 0 ? 'Dunkler = höherer Handlungsbedarf' : undefined,
    },
  };
}

/** "unvollständig: unter 90 % der Einwohner erfasst" (the threshold of GET /api/settings), else without the number. */
export function incompleteLegendLabel(coverageThreshold?: number): string {
  return coverageThreshold === undefined || !Number.isFinite(coverageThreshold)
    ? `${INCOMPLETE}: nicht alle Teilgebiete erfasst`
    : `${INCOMPLETE}: unter ${formatUpTo(coverageThreshold, 1)} % der Einwohner erfasst`;
}

/**
 * The types of a typology run. Colours follow the order of need (palettes.ts: needRank, or type k
 * highest): a sequential scheme, the highest need darkest; untyped areas hatched grey.
 * @param otherK a k of the run's range other than its chosen k, whose stored types are shown (tiles
 *   ?k=N: their own immutable URL); undefined = the chosen k, the run's original tile URL.
 * @param plain counselling (Beratung): the types by their names only, no run number and no "Typ n";
 *   the legend lists them from the highest need down.
 */
export function typologyLayer(
  runId: string,
  types: readonly TypeInfo[],
  members: readonly TypologyMember[],
  level: string,
  otherK?: number,
  plain = false,
): LayerResult {
  const byCode = new Map(members.map((m) => [m.code, m.type]));
  const k = types.length;
  const colourOf = new Map(types.map((t) => [t.type, needColour(needRankOf(t, k), k)]));
  const sizes = new Map<number, number>();
  for (const m of members) sizes.set(m.type, (sizes.get(m.type) ?? 0) + 1);
  const kQuery = otherK === undefined ? '' : `?k=${otherK}`;
  // Research keeps the researchers' labels ("Typ 4: …"); counselling the plain names.
  const name = (t: TypeInfo) => (plain ? plainTypeName(t) : t.label || `Typ ${t.type}`);
  const names = new Map(types.map((t) => [t.type, name(t)]));
  const typeAt = (code: string, f?: FeatureLike) => (f ? numOrNull(f.get('type')) : null) ?? byCode.get(code) ?? null;
  // Research lists the types in their own order; counselling from the highest need down.
  const ordered = plain
    ? [...types].sort((a, b) => needRankOf(a, k) - needRankOf(b, k))
    : [...types].sort((a, b) => a.type - b.type);
  return {
    fill: {
      tiles: `/tiles/typology/${encodeURIComponent(runId)}/{z}/{x}/{y}.pbf${kQuery}`,
      level,
      revision: `typ/${runId}${kQuery}`,
      colour: (code, f) => {
        const t = typeAt(code, f);
        return t === null ? UNTYPED_FILL : (colourOf.get(t) ?? typeColour(t, k));
      },
    },
    legend: {
      title: plain
        ? 'Art des Gebiets'
        : otherK === undefined
          ? `Sozialraumtypen (Lauf ${runId})`
          : `Sozialraumtypen (Lauf ${runId}, k = ${otherK})`,
      subtitle: plain
        ? 'je dunkler, desto mehr Unterstützungsbedarf'
        : `dunkler = mehr Handlungsbedarf (Typ ${ordered.length ? ordered[ordered.length - 1].type : k} am meisten)`,
      entries: categoryLegendEntries(
        ordered.map((t) => ({
          colour: colourOf.get(t.type) ?? typeColour(t.type, k),
          label: names.get(t.type) ?? '',
          count: sizes.get(t.type) ?? t.size,
        })),
      ),
      noData: {
        colour: UNTYPED_COLOUR,
        label: plain ? 'ohne Einordnung (zu wenige Angaben)' : 'nicht typisiert (fehlende Werte)',
        hatched: true,
      },
    },
    hover: (code) => {
      const t = typeAt(code);
      if (t === null) return plain ? 'ohne Einordnung' : 'nicht typisiert';
      return names.get(t) ?? null;
    },
  };
}

export interface HotspotRow {
  code: string;
  class: number | null;
  quadrant: string | null;
}

function hotspotValue(
  f: FeatureLike,
  code: string,
  mode: 'gi' | 'lisa',
  byCode: Map<string, HotspotRow>,
): number | string | null {
  if (mode === 'gi') {
    const c = f.get('class');
    return c === undefined ? (byCode.get(code)?.class ?? null) : numOrNull(c);
  }
  // Not the tile's quadrant: tiles carry it for every area, significant or not (see hotspot-data.ts).
  return byCode.get(code)?.quadrant ?? null;
}

export function hotspotLayer(
  runId: string,
  rows: readonly HotspotRow[],
  mode: 'gi' | 'lisa',
  level: string,
  indicatorLabel: string,
): LayerResult {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const counts = new Map<string | number, number>();
  for (const r of rows) {
    const key = mode === 'gi' ? r.class : r.quadrant;
    if (key !== null && key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const entries =
    mode === 'gi'
      ? [3, 2, 1, 0, -1, -2, -3].map((c) => ({
          colour: HOTSPOT_CLASS_COLOURS[c],
          label: HOTSPOT_CLASS_LABELS[c],
          count: counts.get(c) ?? 0,
        }))
      : ['HH', 'LL', 'HL', 'LH'].map((q) => ({
          colour: LISA_COLOURS[q],
          label: LISA_LABELS[q],
          count: counts.get(q) ?? 0,
        }));
  return {
    fill: {
      tiles: `/tiles/hotspots/${encodeURIComponent(runId)}/{z}/{x}/{y}.pbf`,
      level,
      revision: `hot/${runId}/${mode}`,
      colour: (code, f) => {
        const v = hotspotValue(f, code, mode, byCode);
        if (v === null) return mode === 'gi' ? NO_DATA_COLOUR : '#eeeeee';
        return mode === 'gi'
          ? (HOTSPOT_CLASS_COLOURS[v as number] ?? NO_DATA_COLOUR)
          : (LISA_COLOURS[v as string] ?? '#eeeeee');
      },
    },
    legend: {
      title: mode === 'gi' ? `Hot- und Coldspots (Gi*): ${indicatorLabel}` : `Lokale Cluster (LISA): ${indicatorLabel}`,
      subtitle: `Analyse ${runId}`,
      entries: categoryLegendEntries(entries),
      noData: {
        colour: mode === 'gi' ? NO_DATA_COLOUR : '#eeeeee',
        label: mode === 'gi' ? 'ohne Nachbarn oder ohne Wert' : 'nicht signifikant / ohne Wert',
      },
    },
    hover: (code) => {
      const r = byCode.get(code);
      if (!r) return null;
      if (mode === 'lisa') return r.quadrant ? (LISA_LABELS[r.quadrant] ?? r.quadrant) : 'nicht signifikant';
      return r.class === null ? 'ohne Nachbarn oder ohne Wert' : (HOTSPOT_CLASS_LABELS[r.class] ?? null);
    },
  };
}

export interface OverlayResult {
  spec: OverlaySpec;
  /** Legend part for the hatching, shown under the fill's legend. */
  legend: LegendSection;
  /** Hover text of hatched areas ("Hotspot, mind. 95 % sicher"); null elsewhere. */
  hover: (code: string) => string | null;
}

/**
 * Hotspots as hatching over another fill: the types of the combined research view, the choropleth
 * of the planner. Areas come from the run's members (API rows), not the tile properties, so map,
 * hover and the counts in the legend are the same set (LISA needs the p-values of the rows anyway).
 */
export function hotspotOverlay(
  run: OverlayRunInfo,
  rows: readonly HotspotMember[],
  level: string,
  mode: OverlayMode = 'gi',
  minLevel: OverlayLevel = 90,
): OverlayResult {
  const cats = overlayCategories(rows, mode, minLevel);
  return {
    spec: {
      tiles: `/tiles/hotspots/${encodeURIComponent(run.id)}/{z}/{x}/{y}.pbf`,
      level,
      revision: `hot-overlay/${run.id}/${mode}/${minLevel}`,
      style: (code): Style[] | null => {
        const c = cats.get(code);
        return c ? hatchStyle(OVERLAY_STYLE[c].colour, OVERLAY_STYLE[c].pattern) : null;
      },
    },
    legend: overlayLegend(cats, mode, minLevel, run),
    hover: (code) => {
      const c = cats.get(code);
      return c ? overlayLabel(c, minLevel) : null;
    },
  };
}

export function changeLayer(
  ind: Indicator,
  rows: readonly ChangeRow[],
  level: string,
  from: string,
  to: string,
  classes: number,
  method: ClassMethod = 'equal',
): LayerResult {
  const byCode = new Map(rows.map((r) => [r.code, r.comparable === false ? null : r.absolute]));
  const comparable = new Map(rows.map((r) => [r.code, r.comparable !== false]));
  const vals = [...byCode.values()];
  const limits = divergingBreaks(vals, classes, method);
  const colours = divergingPalette(ind.polarity, limits.length - 1);
  const unit = ind.kind === 'rate' ? 'Prozentpunkte' : ind.unit;
  return {
    fill: {
      tiles: `/tiles/areas/{z}/{x}/{y}.pbf?level=${encodeURIComponent(level)}`,
      level,
      revision: `chg/${ind.key}/${from}/${to}/${method}/${limits.join(',')}`,
      colour: (code) => {
        const c = classOf(byCode.get(code), limits);
        return c < 0 ? NO_DATA_COLOUR : colours[c];
      },
    },
    legend: {
      title: `Veränderung ${ind.label}`,
      subtitle: `${formatPeriod(from)} → ${formatPeriod(to)}`,
      entries: classLegendEntries(limits, colours, unit, decimalsFor(ind.unit, ind.kind), classCounts(vals, limits)),
      noData: { colour: NO_DATA_COLOUR, label: 'nicht vergleichbar oder ohne Wert' },
      note:
        ind.polarity > 0
          ? 'Rot = Zunahme des Handlungsbedarfs'
          : ind.polarity < 0
            ? 'Rot = Abnahme (Verschlechterung)'
            : undefined,
    },
    hover: (code) => {
      if (!comparable.has(code)) return null;
      if (!comparable.get(code)) return 'nicht vergleichbar';
      const d = byCode.get(code);
      return d === null || d === undefined
        ? 'ohne Wert'
        : `${formatSigned(d, decimalsFor(ind.unit, ind.kind))}${unit ? ` ${unit}` : ''}`;
    },
  };
}
