/**
 * What every area reader returns: the features' attributes and geometries in
 * the file's own CRS, untransformed. PostGIS parses, repairs and transforms them.
 */
export interface SourceFeature {
  props: Record<string, unknown>;
  /** A GeoJSON geometry object (format 'geojson') or a WKT string (format 'wkt'). */
  geometry: unknown;
}

export interface SourceLayer {
  format: 'geojson' | 'wkt';
  features: SourceFeature[];
  /** EPSG code the file declares; undefined when the file says nothing. */
  srid?: number;
  /** Where srid came from, for messages ("crs member", ".prj", …). */
  sridSource: string;
  /** Why the CRS is unknown (no or unreadable .prj); thrown unless the caller gives an srid. */
  crsProblem?: Error;
  /** How features are counted in messages: GeoJSON/Shapefile 'feature', CSV 'row'. */
  unit: 'feature' | 'row';
  warnings: string[];
}
