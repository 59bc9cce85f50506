/**
 * The catalogue of tile layers: what each one is called inside the tile, which fields its features
 * carry (with the descriptions TileJSON publishes), and whether its content is addressed by data
 * version (may change; revalidate with ETag) or by an analysis run (never changes; immutable).
 */
import type { BreakMethod } from '../../analysis/class-breaks.js';

export type LayerSpec =
  | { kind: 'areas'; level: string }
  | { kind: 'labels'; level: string }
  | { kind: 'indicator'; level: string; key: string; period: string; method: BreakMethod; classes: number }
  /** k: another k of the run's range (undefined = the chosen k, the run's original URL). */
  | { kind: 'typology'; runId: number; k?: number }
  | { kind: 'hotspots'; runId: number };

export type LayerKind = LayerSpec['kind'];

export interface LayerInfo {
  /** Name of the layer inside the MVT (what a style's `source-layer` names). */
  layerName: string;
  description: string;
  /** Field name → description (TileJSON vector_layers[].fields); the types are in the description. */
  fields: Record<string, string>;
  /** true: content fixed for the URL forever (run results); false: follows data_version. */
  runAddressed: boolean;
  geometry: 'polygon' | 'point';
}

const CODE =
  'String: Gebietsschlüssel (amtlicher Schlüssel, führende Nullen bleiben); die Feature-ID ist daraus abgeleitet';

export const LAYERS: Record<LayerKind, LayerInfo> = {
  areas: {
    layerName: 'areas',
    description: 'Gebietsumrisse einer Ebene (Parameter level) mit Name, übergeordnetem Gebiet und Einwohnerzahl',
    fields: {
      code: CODE,
      name: 'String: Gebietsname',
      level: 'String: Ebene (z. B. plr, bzr)',
      parent: 'String: Schlüssel des übergeordneten Gebiets (fehlt auf der obersten Ebene)',
      population:
        'Number: Einwohner im jüngsten Zeitraum (Indikator der Einstellung population_indicator; auf Ebenen ohne eigene Werte die Summe der Teilgebiete); fehlt ohne Wert',
    },
    runAddressed: false,
    geometry: 'polygon',
  },
  labels: {
    layerName: 'labels',
    description: 'Ein Beschriftungspunkt je Gebiet (ST_PointOnSurface: liegt immer im Gebiet)',
    fields: { code: CODE, name: 'String: Gebietsname' },
    runAddressed: false,
    geometry: 'point',
  },
  indicator: {
    layerName: 'indicator',
    description: 'Indikatorwert je Gebiet für einen Zeitraum mit Klasse nach der gewählten Klassifikation',
    fields: {
      code: CODE,
      name: 'String: Gebietsname',
      value:
        'Number: Indikatorwert; fehlt, wo der Wert geheim gehalten wird (Einwohner unter der Schwelle) oder nicht vorliegt',
      class: 'Number: Klasse 0 … classes−1 (0 = niedrigste) unter den Klassengrenzen; fehlt ohne Wert',
      suppressed: 'Boolean: true, wenn der Wert geheim gehalten wird',
      suppressionReason:
        "String: 'population' (Einwohner unter der Schwelle) oder 'secondary' (Schutz vor Rückrechnung); fehlt ohne Geheimhaltung",
      incomplete:
        'Boolean: true, wenn ein aus den Teilgebieten summierter Wert unter der Abdeckungsschwelle liegt (unvollständig)',
    },
    runAddressed: false,
    geometry: 'polygon',
  },
  typology: {
    layerName: 'typology',
    description:
      'Sozialraumtyp je Gebiet aus einem gespeicherten Typisierungslauf (Parameter k: Typen für ein anderes k aus dem Bereich des Laufs; Standard: das gewählte k)',
    fields: {
      code: CODE,
      type: 'Number: Typ 1 … k (Typ 1 = geringster Bedarf)',
      label: 'String: Beschreibung des Typs',
      silhouette: 'Number: Silhouettenwert des Gebiets (−1 … 1)',
      stability: 'Number: Anteil der Wiederholungen mit gleicher Zuordnung (0 … 1); nur für das gewählte k des Laufs',
    },
    runAddressed: true,
    geometry: 'polygon',
  },
  hotspots: {
    layerName: 'hotspots',
    description: 'Hot- und Coldspots (Gi*) und LISA-Quadranten je Gebiet aus einem gespeicherten Lauf',
    fields: {
      code: CODE,
      class: 'Number: −3 … +3 (Cold-/Hotspot mit 99/95/90 %), 0 nicht signifikant; fehlt bei Inseln',
      giZ: 'Number: Gi*-z-Wert',
      quadrant: 'String: LISA-Quadrant HH, LL, HL oder LH, wie im Lauf gespeichert; fehlt ohne Angabe',
    },
    runAddressed: true,
    geometry: 'polygon',
  },
};

/**
 * The layer's path under /tiles (without /{z}/{x}/{y}.pbf or .json) and the query string that
 * completes its address. Together they are also its cache key.
 */
export function layerPath(spec: LayerSpec): { path: string; query: string } {
  switch (spec.kind) {
    case 'areas':
    case 'labels':
      return { path: spec.kind, query: `level=${encodeURIComponent(spec.level)}` };
    case 'indicator':
      return {
        path: `indicator/${encodeURIComponent(spec.key)}/${spec.period}`,
        query: `level=${encodeURIComponent(spec.level)}&method=${spec.method}&classes=${spec.classes}`,
      };
    case 'typology':
      // The k is part of the address (and so of the cache key and ETag); the chosen k keeps the bare URL.
      return { path: `${spec.kind}/${spec.runId}`, query: spec.k === undefined ? '' : `k=${spec.k}` };
    case 'hotspots':
      return { path: `${spec.kind}/${spec.runId}`, query: '' };
  }
}

export function layerKey(spec: LayerSpec): string {
  const { path, query } = layerPath(spec);
  return query ? `${path}?${query}` : path;
}
