-- Point layers ("Georessourcen"): facilities such as day-care centres or care homes, one layer
-- per kind and one stand (period) per import. geodata/import/points.ts fills point_layer and
-- point_feature (`sozialatlas import points`); formulas read them through count(KEY),
-- sum(KEY.FIELD) and distance(KEY) (analysis/formula-*.ts, geodata/values/point-inputs.ts).

CREATE TABLE point_layer (
  key              text NOT NULL,
  period           date NOT NULL,
  label            text NOT NULL,
  attribution      text,
  -- the attributes the import took the id, the name and the address from (NULL: running number / none)
  id_field         text,
  name_field       text,
  address_template text,
  source_file      text,
  source_srid      integer,
  n_points         integer NOT NULL DEFAULT 0,
  imported_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key, period)
);

CREATE TABLE point_feature (
  layer   text NOT NULL,
  period  date NOT NULL,
  fid     text NOT NULL,
  name    text,
  address text,
  -- every attribute of the source feature, as read (text numbers stay text: "69")
  attrs   jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom    geometry(Point, 4326) NOT NULL,
  PRIMARY KEY (layer, period, fid),
  FOREIGN KEY (layer, period) REFERENCES point_layer (key, period) ON DELETE CASCADE
);
CREATE INDEX point_feature_geom_idx ON point_feature USING gist (geom);

-- Read model of the point inputs of formula indicators (geodata/values/point-inputs.ts), rebuilt
-- with every recompute: one row per formula indicator × point input × level × area × value period.
-- value: count / sum over the points inside the area, or the distance in metres (weighted mean of
-- the children on parent levels, weight = weight).
CREATE TABLE point_input_value (
  indicator text NOT NULL,
  input     text NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('count', 'sum', 'distance')),
  level     text NOT NULL,
  code      text NOT NULL,
  period    date NOT NULL,
  value     double precision,
  weight    double precision,
  PRIMARY KEY (indicator, input, level, period, code)
);

-- What each point input of a formula indicator was computed from, per finest level and value
-- period: which stand of the layer met which period of the other inputs, the reference point of
-- distances, points outside every area, empty and non-numeric values of a summed field.
CREATE TABLE point_input_note (
  indicator    text NOT NULL,
  input        text NOT NULL,
  level        text NOT NULL,
  period       date NOT NULL,
  layer        text NOT NULL,
  point_period date NOT NULL,
  reference    text,
  n_points     integer NOT NULL,
  n_outside    integer NOT NULL,
  n_empty      integer NOT NULL DEFAULT 0,
  n_invalid    integer NOT NULL DEFAULT 0,
  -- up to 20 feature ids each, for messages
  empty_fids   text[],
  invalid_fids text[],
  PRIMARY KEY (indicator, input, level, period)
);

-- A point attribute as a number for sum(KEY.FIELD): JSON numbers and text numbers ("69", "12,5");
-- NULL for empty or non-numeric text (counted and reported in point_input_note).
CREATE FUNCTION point_number(t text) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t ~ '^\s*[+-]?[0-9]+([.,][0-9]+)?([eE][+-]?[0-9]+)?\s*$'
              THEN replace(btrim(t), ',', '.')::double precision END
$$;

CREATE TRIGGER point_layer_changes_values AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON point_layer
  FOR EACH STATEMENT EXECUTE FUNCTION value_sources_changed();
CREATE TRIGGER point_feature_changes_values AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON point_feature
  FOR EACH STATEMENT EXECUTE FUNCTION value_sources_changed();
