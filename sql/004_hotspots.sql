-- Hotspots: spatial weights computed in PostGIS, stored per level and geometry version,
-- and the stored hotspot runs (parameters, data fingerprint, per-area results).

-- One set of neighbour lists: a level at one geometry version under one weights spec.
-- spec is canonical text: 'queen', 'queen:snap=2.5' (snap tolerance in metres), 'rook',
-- 'knn:6', 'distance:1500' (band in metres). A new import bumps level.geometry_version,
-- so stale sets are simply never looked up again (and may be deleted).
CREATE TABLE spatial_weights (
  id               bigserial PRIMARY KEY,
  level            text NOT NULL REFERENCES level(key) ON DELETE CASCADE,
  geometry_version integer NOT NULL,
  spec             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('queen', 'rook', 'knn', 'distance')),
  param            double precision,          -- k, band (m) or snap tolerance (m); null for plain queen/rook
  srid             integer,                   -- metric CRS of centroids and snapping
  n_areas          integer NOT NULL,
  n_links          integer NOT NULL,          -- directed links
  islands          text[] NOT NULL DEFAULT '{}',
  build_ms         double precision,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (level, geometry_version, spec)
);

-- The lists themselves: one row per area, neighbour codes sorted; islands have an empty array.
CREATE TABLE spatial_weights_list (
  weights_id bigint NOT NULL REFERENCES spatial_weights(id) ON DELETE CASCADE,
  code       text NOT NULL,
  neighbours text[] NOT NULL,
  PRIMARY KEY (weights_id, code)
);

-- Area-weighted centroids (GEOS ST_Centroid) taken AFTER projecting to a metric CRS, as the
-- reference does (EPSG:32633 for Berlin); a vertex mean or a centroid in degrees would move
-- kNN neighbours. Cached per level, geometry version and CRS, with a GiST index for kNN.
CREATE TABLE area_centroid (
  level            text NOT NULL REFERENCES level(key) ON DELETE CASCADE,
  geometry_version integer NOT NULL,
  srid             integer NOT NULL,
  code             text NOT NULL,
  pt               geometry NOT NULL,
  PRIMARY KEY (level, geometry_version, srid, code)
);
CREATE INDEX area_centroid_gix ON area_centroid USING gist (pt);

-- The UTM zone (WGS 84) holding the centre of a level's extent: 326xx north, 327xx south.
-- For Berlin (13.4° E, 52.5° N) this is 32633, the reference CRS.
CREATE FUNCTION hotspot_metric_srid(p_level text) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN ST_Y(c) >= 0 THEN 32600 ELSE 32700 END
         + LEAST(60, GREATEST(1, floor((ST_X(c) + 180) / 6)::integer + 1))
  FROM (SELECT ST_Centroid(ST_Extent(geom)::geometry) AS c FROM area WHERE level = p_level) s
$$;

-- Fills area_centroid for a level in a CRS (no-op when present). Returns the number of areas.
CREATE FUNCTION hotspot_refresh_centroids(p_level text, p_srid integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_version integer;
  v_count integer;
BEGIN
  SELECT geometry_version INTO v_version FROM level WHERE key = p_level;
  IF NOT EXISTS (SELECT 1 FROM area_centroid WHERE level = p_level AND geometry_version = v_version AND srid = p_srid) THEN
    INSERT INTO area_centroid (level, geometry_version, srid, code, pt)
    SELECT a.level, v_version, p_srid, a.code, ST_Centroid(ST_Transform(a.geom, p_srid))
    FROM area a WHERE a.level = p_level;
  END IF;
  SELECT count(*) INTO v_count FROM area_centroid WHERE level = p_level AND geometry_version = v_version AND srid = p_srid;
  RETURN v_count;
END
$$;

-- Directed links (code → neighbour) of a level under one weights kind. Both directions are
-- returned; self-links never. p_codes restricts the areas (null = all): kNN on a subset is
-- recomputed among the subset (the reference drops areas with missing values before kNN),
-- contiguity on a subset is the induced sub-graph.
--   queen:    any contact, ST_Intersects on the stored EPSG:4326 geometries; with p_param > 0
--             areas within p_param metres in p_srid also count, for sloppy borders.
--             ST_Intersects rather than ST_Touches: sliver overlaps (0.016 m² at 10100205) are
--             contact too, which is what spdep's poly2nb finds.
--   rook:     the boundaries share a line: the boundary/boundary cell of the DE-9IM matrix has
--             dimension 1 ('****1****'), which holds also where interiors overlap by a sliver.
--   knn:      the p_param nearest centroids in p_srid; exact distance ties go to the lower code.
--   distance: centroids within p_param metres in p_srid.
CREATE FUNCTION hotspot_links(p_level text, p_kind text, p_param double precision, p_srid integer, p_codes text[] DEFAULT NULL)
RETURNS TABLE (code text, neighbour text)
LANGUAGE plpgsql AS $$
DECLARE
  v_version integer;
BEGIN
  SELECT l.geometry_version INTO v_version FROM level l WHERE l.key = p_level;
  IF p_kind = 'queen' AND COALESCE(p_param, 0) = 0 THEN
    RETURN QUERY
      SELECT a.code, b.code FROM area a JOIN area b
        ON b.level = a.level AND b.code <> a.code AND ST_Intersects(a.geom, b.geom)
      WHERE a.level = p_level
        AND (p_codes IS NULL OR (a.code = ANY (p_codes) AND b.code = ANY (p_codes)));
  ELSIF p_kind = 'queen' THEN
    -- Snapping: distances in metres need the metric CRS. Each area is projected and buffered
    -- by the tolerance once, into an indexed temporary table; "b touches the buffer of a" is
    -- then a fast (prepared) intersection test. ST_DWithin between the polygons themselves
    -- gives the same pairs but took 30 s on the 542 Berlin areas (brute-force segment
    -- distances). The buffer's arcs are 32-gons, so a gap within 0.5 % below the tolerance may
    -- be missed. Pairs are symmetrised.
    DROP TABLE IF EXISTS hotspot_projected;
    CREATE TEMP TABLE hotspot_projected AS
      SELECT a.code, ST_Transform(a.geom, p_srid) AS g, ST_Buffer(ST_Transform(a.geom, p_srid), p_param) AS gb FROM area a
      WHERE a.level = p_level AND (p_codes IS NULL OR a.code = ANY (p_codes));
    CREATE INDEX ON hotspot_projected USING gist (g);
    ANALYZE hotspot_projected;
    RETURN QUERY
      WITH found AS (
        SELECT a.code AS c1, b.code AS c2 FROM hotspot_projected a JOIN hotspot_projected b
          ON b.code <> a.code AND b.g && a.gb AND ST_Intersects(a.gb, b.g)
      )
      SELECT c1, c2 FROM found UNION SELECT c2, c1 FROM found;
    DROP TABLE hotspot_projected;
  ELSIF p_kind = 'rook' THEN
    RETURN QUERY
      SELECT a.code, b.code FROM area a JOIN area b
        ON b.level = a.level AND b.code <> a.code AND ST_Intersects(a.geom, b.geom)
       AND ST_Relate(a.geom, b.geom, '****1****')
      WHERE a.level = p_level
        AND (p_codes IS NULL OR (a.code = ANY (p_codes) AND b.code = ANY (p_codes)));
  ELSIF p_kind IN ('knn', 'distance') THEN
    PERFORM hotspot_refresh_centroids(p_level, p_srid);
    -- The centroids of this level (and subset) go into a temporary table whose only index is
    -- the GiST one, so the planner has no choice but the index for the nearest-neighbour
    -- ordering and the distance join (on area_centroid it picked the primary key and compared
    -- all pairs: 6 minutes for 10 000 areas in PGlite).
    DROP TABLE IF EXISTS hotspot_points;
    CREATE TEMP TABLE hotspot_points AS
      SELECT c.code, c.pt FROM area_centroid c
      WHERE c.level = p_level AND c.geometry_version = v_version AND c.srid = p_srid
        AND (p_codes IS NULL OR c.code = ANY (p_codes));
    CREATE INDEX ON hotspot_points USING gist (pt);
    ANALYZE hotspot_points;
    IF p_kind = 'knn' THEN
      RETURN QUERY
        SELECT a.code, nn.code FROM hotspot_points a
        CROSS JOIN LATERAL (
          -- The inner query orders by distance alone, so it is a pure GiST nearest-neighbour scan
          -- (with ", code" added, PostgreSQL 15 sorted all points per area: 52 s for 10 000);
          -- the 2k + 4 candidates then get the tie rule: equal distance → lower code.
          SELECT cand.code FROM (
            SELECT b.code, a.pt <-> b.pt AS d FROM hotspot_points b
            WHERE b.code <> a.code
            ORDER BY a.pt <-> b.pt
            LIMIT 2 * p_param::integer + 4
          ) cand
          ORDER BY cand.d, cand.code
          LIMIT p_param::integer
        ) nn;
    ELSE
      RETURN QUERY
        SELECT a.code, b.code FROM hotspot_points a JOIN hotspot_points b
          ON b.code <> a.code AND ST_DWithin(a.pt, b.pt, p_param);
    END IF;
    DROP TABLE hotspot_points;
  ELSE
    RAISE EXCEPTION 'unknown weights kind %', p_kind USING ERRCODE = '22023';
  END IF;
END
$$;

-- A hotspot run: one indicator (or composite) at one level and period under one weights spec.
-- params holds everything needed to repeat it (weights, permutations, seed, correction, alpha,
-- composite definition); fingerprint is a hash of the values and weights it read; result holds
-- the global statistics, dropped areas, islands and class thresholds.
CREATE TABLE hotspot_run (
  id          bigserial PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  level       text NOT NULL,
  period      date NOT NULL,
  indicator   text NOT NULL,
  params      jsonb NOT NULL,
  fingerprint text NOT NULL,
  result      jsonb NOT NULL
);
CREATE INDEX hotspot_run_level_idx ON hotspot_run (level, period, indicator);

-- Per-area results. class: −3..+3 (cold/hot at 99/95/90 %), 0 not significant, null = island.
-- Added beyond the contract: the total-randomisation z/p of Ii, the Gi* permutation p,
-- the corrected p-values, the LISA significance flag and the island flag.
CREATE TABLE hotspot_member (
  run_id            bigint NOT NULL REFERENCES hotspot_run(id) ON DELETE CASCADE,
  code              text NOT NULL,
  neighbours        integer,
  lisa_i            double precision,
  lisa_z            double precision,
  lisa_p            double precision,
  lisa_p_perm       double precision,
  quadrant          text CHECK (quadrant IN ('HH', 'LL', 'HL', 'LH')),
  gi_z              double precision,
  gi_p              double precision,
  class             smallint CHECK (class BETWEEN -3 AND 3),
  lisa_z_total      double precision,
  lisa_p_total      double precision,
  gi_p_perm         double precision,
  lisa_p_adjusted   double precision,
  gi_p_adjusted     double precision,
  lisa_significant  boolean,
  island            boolean NOT NULL DEFAULT false,
  PRIMARY KEY (run_id, code)
);
