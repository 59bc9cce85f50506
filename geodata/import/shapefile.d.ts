/**
 * Type declarations for the 'shapefile' package (0.6), which ships none: only the small surface
 * read-shapefile.ts uses, so a wrong call still fails the type check.
 */
declare module 'shapefile' {
  import type { Geometry, GeoJsonProperties } from 'geojson';
  export interface ShapefileFeature {
    type: 'Feature';
    properties: GeoJsonProperties;
    geometry: Geometry | null;
  }
  export interface Source {
    bbox: number[];
    read(): Promise<{ done: true; value?: undefined } | { done: false; value: ShapefileFeature }>;
    cancel(): Promise<void>;
  }
  export function open(
    shp: string | ArrayBuffer,
    dbf?: string | ArrayBuffer,
    options?: { encoding?: string },
  ): Promise<Source>;
}
