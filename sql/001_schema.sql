-- Core schema: levels, areas, indicators, observations.
CREATE EXTENSION IF NOT EXISTS postgis;

-- Every import bumps this; data-addressed tiles and caches derive their ETag from it.
CREATE TABLE data_version (
  id       integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  version  bigint NOT NULL DEFAULT 1,
  changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version (id, version) VALUES (1, 1);

-- A spatial level (e.g. 'plr' Planungsraum, 'bzr' Bezirksregion, 'kreis').
-- geometry_version bumps whenever its areas are re-imported, so stored spatial
-- weights can be keyed by (level, geometry_version).
CREATE TABLE level (
  key              text PRIMARY KEY,
  label            text NOT NULL,
  parent_level     text REFERENCES level(key) ON DELETE SET NULL,
  geometry_version integer NOT NULL DEFAULT 1
);

CREATE TABLE area (
  level       text NOT NULL REFERENCES level(key) ON DELETE CASCADE,
  code        text NOT NULL,            -- official key as text: leading zeros are kept
  name        text,
  parent_code text,                     -- code in level.parent_level
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  area_km2    double precision NOT NULL, -- computed on the geography (spheroid)
  repaired    boolean NOT NULL DEFAULT false, -- geometry was invalid and repaired by ST_MakeValid
  PRIMARY KEY (level, code)
);
CREATE INDEX area_geom_gix ON area USING gist (geom);
CREATE INDEX area_parent_idx ON area (level, parent_code);

-- kind: 'rate'  value = scale * numerator / denominator; aggregates as Σnum/Σden
--       'count' value is a count; aggregates as Σ
--       'index' or 'class': not aggregated to parent levels
CREATE TABLE indicator (
  key         text PRIMARY KEY,
  label       text NOT NULL,
  unit        text,
  topic       text,
  polarity    smallint NOT NULL DEFAULT 0 CHECK (polarity IN (-1, 0, 1)),
  description text,
  target      double precision,
  target_direction text CHECK (target_direction IN ('max', 'min')), -- 'max': value should stay at or below target
  kind        text NOT NULL DEFAULT 'rate' CHECK (kind IN ('rate', 'count', 'index', 'class')),
  scale       double precision NOT NULL DEFAULT 100,
  numerator   text,  -- name of the count in the numerator (documentation)
  denominator text,
  sort_order  integer NOT NULL DEFAULT 0
);

CREATE TABLE observation (
  level       text NOT NULL,
  code        text NOT NULL,
  indicator   text NOT NULL REFERENCES indicator(key) ON DELETE CASCADE,
  period      date NOT NULL,
  value       double precision,
  numerator   double precision,
  denominator double precision,
  PRIMARY KEY (level, indicator, period, code),
  FOREIGN KEY (level, code) REFERENCES area(level, code) ON DELETE CASCADE
);
CREATE INDEX observation_area_idx ON observation (level, code);

-- Settings that SQL views need (confidentiality rule).
CREATE TABLE setting (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO setting VALUES
  ('population_indicator', 'EW'),
  ('suppression_threshold', '300'),
  ('validity_indicator', 'KOM');
