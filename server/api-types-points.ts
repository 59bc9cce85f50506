/**
 * Response types of the point-layer API (GET /api/point-layers, GET /api/areas/{code}/nearby),
 * shared with the client through server/api-types.ts. Types only: no runtime code.
 */

/** A point layer ("Georessource") with its stands, newest first. */
export interface PointLayerInfo {
  key: string;
  label: string;
  attribution: string | null;
  /** The newest stand (YYYY-MM-DD). */
  period: string | null;
  periods: { period: string; count: number }[];
  /** Attribute names of the newest stand (usable in sum(KEY.FIELD)). */
  fields: string[];
}

/** One facility near an area: distance in metres from the area's point on surface. */
export interface NearbyPoint {
  fid: string;
  name: string | null;
  address: string | null;
  distanceM: number;
  lon: number;
  lat: number;
  /** Scalar attributes not already shown as id, name or address (at most 12). */
  attrs: Record<string, string | number | boolean>;
}
