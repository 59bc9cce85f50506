/**
 * Structural checks done in Node before PostGIS sees a geometry, so a broken
 * feature is reported by its number instead of failing a whole batch with a
 * PostGIS message that names no feature. Validity in the OGC sense
 * (self-intersection, …) is PostGIS's job: those are repaired, not rejected.
 * Each function returns a reason, or undefined when the geometry is acceptable.
 */

export function checkGeoJsonPolygonal(g: unknown): string | undefined {
  if (g === null || g === undefined) return 'das Objekt hat keine Geometrie';
  if (typeof g !== 'object') return 'die Geometrie ist kein JSON-Objekt';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') return checkPolygon(coordinates);
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) return 'MultiPolygon ohne Polygone';
    for (const poly of coordinates) {
      const r = checkPolygon(poly);
      if (r) return r;
    }
    return undefined;
  }
  return `Geometrietyp ${JSON.stringify(type)} ist kein Polygon oder MultiPolygon`;
}

function checkPolygon(rings: unknown): string | undefined {
  if (!Array.isArray(rings) || rings.length === 0) return 'Polygon ohne Ringe';
  for (const ring of rings) {
    if (!Array.isArray(ring) || ring.length < 4) return 'ein Polygonring braucht mindestens 4 Punkte';
    for (const pos of ring) {
      if (!Array.isArray(pos) || pos.length < 2 || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) {
        return `ein Punkt ist kein Paar endlicher Zahlen: ${JSON.stringify(pos)}`;
      }
    }
    const a = ring[0] as number[];
    const b = ring[ring.length - 1] as number[];
    if (a[0] !== b[0] || a[1] !== b[1]) return 'ein Polygonring ist nicht geschlossen (erster Punkt ≠ letzter)';
  }
  return undefined;
}

/** WKT text must at least name a polygonal type; PostGIS parses the rest. */
export function checkWktPolygonal(wkt: unknown): string | undefined {
  if (typeof wkt !== 'string' || wkt.trim() === '') return 'die Zeile hat keine Geometrie';
  if (!/^\s*(MULTI)?POLYGON\s*(Z|M|ZM)?\s*(\(|EMPTY)/i.test(wkt))
    return 'der WKT-Text ist kein POLYGON oder MULTIPOLYGON';
  if (/^\s*(MULTI)?POLYGON\s*(Z|M|ZM)?\s*EMPTY/i.test(wkt)) return 'die Geometrie ist leer';
  return undefined;
}
