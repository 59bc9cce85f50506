-- Zensus grid cells (1 km INSPIRE grid, EPSG:3035) and values carried between geometries.
-- geodata/import/grid.ts fills grid_cell (`sozialatlas import grid`); geodata/import/grid-aggregate.ts
-- turns the cells into observations of an area level (`sozialatlas aggregate grid`) and notes per
-- area how many cells went in and how much of the population sits in cells whose value is missing.
-- geodata/values/harmonize.ts carries values from one level onto another by areal interpolation
-- (`sozialatlas harmonize`) and marks them in estimated_observation.

-- One cell: centre x/y in EPSG:3035 metres (the cell is the square x±500, y±500 for 1 km), the
-- centre as a point in EPSG:4326 for the joins with area, and the ten Zensus 2022 variables;
-- missing codes of the source (-1, -9) are stored as NULL.
CREATE TABLE grid_cell (
  level           text NOT NULL,
  code            text NOT NULL,  -- INSPIRE id, e.g. CRS3035RES1000mN2689000E4337000 (lower-left corner)
  x               integer NOT NULL,
  y               integer NOT NULL,
  size_m          integer NOT NULL DEFAULT 1000,
  geom            geometry(Point, 4326) NOT NULL,
  einwohner       double precision,
  frauen_a        double precision,
  alter_d         double precision,
  unter18_a       double precision,
  ab65_a          double precision,
  auslaender_a    double precision,
  hhgroesse_d     double precision,
  leerstandsquote double precision,
  wohnfl_bew_d    double precision,
  wohnfl_whg_d    double precision,
  PRIMARY KEY (level, code)
);
CREATE INDEX grid_cell_geom_idx ON grid_cell USING gist (geom);

-- What a grid aggregation wrote, per area, variable and period: the cells that went in (their
-- centre or part of them in the area) and the share (0..1) of the population of those cells whose
-- value of the variable is missing (suppressed or not published).
CREATE TABLE grid_aggregate_note (
  level              text NOT NULL,
  code               text NOT NULL,
  indicator          text NOT NULL,
  period             date NOT NULL,
  grid_level         text NOT NULL,
  method             text NOT NULL CHECK (method IN ('centroid', 'area')),
  n_cells            integer NOT NULL,
  -- cells that went in without a value of the variable (-1/-9 in the source)
  n_missing          integer NOT NULL,
  missing_pop_share  double precision,
  PRIMARY KEY (level, indicator, period, code)
);

-- Observations estimated from another level by areal interpolation (sozialatlas harmonize): the
-- observation row holds the value; this row says where it came from and how.
CREATE TABLE estimated_observation (
  level        text NOT NULL,
  code         text NOT NULL,
  indicator    text NOT NULL,
  period       date NOT NULL,
  source_level text NOT NULL,
  weight       text NOT NULL CHECK (weight IN ('area', 'population')),
  -- the value written: an observation that no longer holds it was replaced by an import
  value        double precision,
  PRIMARY KEY (level, indicator, period, code),
  FOREIGN KEY (level, indicator, period, code) REFERENCES observation (level, indicator, period, code) ON DELETE CASCADE
);

-- An observation replaced by an import (UPDATE of the row) is no longer an estimate.
CREATE FUNCTION observation_unmark_estimate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM estimated_observation e
   WHERE e.level = NEW.level AND e.indicator = NEW.indicator AND e.period = NEW.period AND e.code = NEW.code;
  RETURN NULL;
END
$$;
CREATE TRIGGER observation_update_unmarks_estimate AFTER UPDATE ON observation
  FOR EACH ROW WHEN (OLD.value IS DISTINCT FROM NEW.value OR OLD.numerator IS DISTINCT FROM NEW.numerator
                     OR OLD.denominator IS DISTINCT FROM NEW.denominator)
  EXECUTE FUNCTION observation_unmark_estimate();
