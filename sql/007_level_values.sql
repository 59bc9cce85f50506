-- The value engine's read model: one row per level × indicator × period × area for EVERY level,
-- however the value was made (imported, aggregated from the child level, computed by a formula),
-- with its coverage, and one suppression decision per level × period × area with its reason.
-- geodata/values/refresh.ts fills both from observation, indicator, area, level and setting;
-- every reader goes through the view indicator_value, which joins the two.

-- Kennzahlen by formula over count indicators ("Grunddaten") of the same area and period;
-- parsed and evaluated by analysis/formula.ts, never turned into SQL text.
ALTER TABLE indicator ADD COLUMN formula text;
-- 'grunddaten': base counts hidden from the public catalogue, usable in formulas.
ALTER TABLE indicator ADD COLUMN visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'grunddaten'));
-- 'mean' (e.g. mean age) aggregates as a weighted mean with this weight indicator (a count).
ALTER TABLE indicator ADD COLUMN weight_indicator text;
ALTER TABLE indicator DROP CONSTRAINT IF EXISTS indicator_kind_check;
ALTER TABLE indicator ADD CONSTRAINT indicator_kind_check CHECK (kind IN ('rate', 'count', 'mean', 'index', 'class'));

-- A level derived from a child level by code prefix (sozialatlas levels derive): the prefix length.
ALTER TABLE level ADD COLUMN derived_code_length integer;

-- An aggregated value whose contributing children hold less than this share (percent) of the
-- parent's population is flagged as incomplete.
INSERT INTO setting VALUES ('coverage_threshold', '90') ON CONFLICT (key) DO NOTHING;

CREATE TABLE level_value (
  level       text NOT NULL,
  code        text NOT NULL,
  indicator   text NOT NULL,
  period      date NOT NULL,
  value       double precision,
  numerator   double precision,
  denominator double precision,
  source      text NOT NULL CHECK (source IN ('imported', 'aggregated', 'formula')),
  -- aggregation from the child level (also kept for imported parent values, for the gap below):
  n_children       integer,          -- children that contributed a value
  n_children_total integer,          -- children of the area on the child level
  coverage         double precision, -- share (0..1) of the children's population held by the contributing ones
                                     -- (a formula: that of its least covered input)
  imported_gap     double precision, -- imported value minus the aggregate of the children (Anschlussfähigkeit)
  PRIMARY KEY (level, indicator, period, code)
);
CREATE INDEX level_value_area_idx ON level_value (level, code, period);

-- Hidden areas: 'population' (primary: fewer residents than suppression_threshold, or none known
-- where the level has population figures for the period) or 'secondary' (protection against
-- recovering a hidden sibling by subtraction from the published parent total).
CREATE TABLE area_suppression (
  level  text NOT NULL,
  code   text NOT NULL,
  period date NOT NULL,
  reason text NOT NULL CHECK (reason IN ('population', 'secondary')),
  PRIMARY KEY (level, period, code)
);

-- source_version moves with every statement that changes what values are made from;
-- computed_version is the source_version the read model was last computed for.
CREATE TABLE value_state (
  id               integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  source_version   bigint NOT NULL DEFAULT 1,
  computed_version bigint NOT NULL DEFAULT 0,
  computed_at      timestamptz,
  computed_ms      double precision
);
INSERT INTO value_state (id) VALUES (1);

CREATE FUNCTION value_sources_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE value_state SET source_version = source_version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER observation_changes_values AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON observation
  FOR EACH STATEMENT EXECUTE FUNCTION value_sources_changed();
CREATE TRIGGER indicator_changes_values AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicator
  FOR EACH STATEMENT EXECUTE FUNCTION value_sources_changed();
CREATE TRIGGER area_changes_values AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area
  FOR EACH STATEMENT EXECUTE FUNCTION value_sources_changed();
CREATE TRIGGER level_changes_values AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON level
  FOR EACH STATEMENT EXECUTE FUNCTION value_sources_changed();
CREATE TRIGGER setting_changes_values AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON setting
  FOR EACH STATEMENT EXECUTE FUNCTION value_sources_changed();

-- Every reader's view: the read model of the public indicators (Grunddaten feed formulas only)
-- with the suppression decision, the validity flag (setting validity_indicator, e.g. MSS KOM:
-- 0 = valid) and the area's population.
-- The first ten columns are those of the view this replaces (sql/002), in the same order.
CREATE OR REPLACE VIEW indicator_value AS
WITH s AS (
  SELECT max(value) FILTER (WHERE key = 'population_indicator') AS pop_indicator,
         max(value) FILTER (WHERE key = 'validity_indicator') AS validity_indicator,
         max(value) FILTER (WHERE key = 'coverage_threshold')::double precision / 100 AS coverage_threshold
    FROM setting
)
SELECT v.level, v.code, v.indicator, v.period, v.value, v.numerator, v.denominator,
       (x.reason IS NOT NULL) AS suppressed,
       COALESCE(val.value, 0) <> 0 AS invalid,
       pop.value AS population,
       x.reason AS suppression_reason,
       v.source,
       v.n_children,
       v.n_children_total,
       v.coverage,
       (v.source <> 'imported' AND v.coverage IS NOT NULL AND v.coverage < s.coverage_threshold) AS incomplete,
       v.imported_gap,
       -- analyses leave out only primary-suppressed areas (their figures are unreliable); areas hidden
       -- to protect a sibling take part, but their values and results are never published
       COALESCE(x.reason = 'population', false) AS primary_suppressed
FROM level_value v
JOIN indicator i ON i.key = v.indicator AND i.visibility = 'public'
CROSS JOIN s
LEFT JOIN area_suppression x ON x.level = v.level AND x.period = v.period AND x.code = v.code
LEFT JOIN level_value pop
  ON pop.level = v.level AND pop.indicator = s.pop_indicator AND pop.period = v.period AND pop.code = v.code
LEFT JOIN level_value val
  ON val.level = v.level AND val.indicator = s.validity_indicator AND val.period = v.period AND val.code = v.code;

-- Parent values now live in level_value (source 'aggregated') like every other value.
DROP VIEW aggregated_value;

-- Whole-region value of a level (all areas of the level together): rates as scale·Σnum/Σden,
-- counts as Σ, means weighted; from the read model, so derived and parent levels have one too.
CREATE OR REPLACE VIEW region_value AS
SELECT v.level, v.indicator, v.period,
       CASE i.kind
         WHEN 'rate'  THEN CASE WHEN sum(v.denominator) > 0 THEN i.scale * sum(v.numerator) / sum(v.denominator) END
         WHEN 'count' THEN sum(v.value)
         WHEN 'mean'  THEN sum(v.value * w.value) / NULLIF(sum(w.value), 0)
       END AS value,
       count(v.value)::integer AS n
FROM level_value v
JOIN indicator i ON i.key = v.indicator AND i.kind IN ('rate', 'count', 'mean')
LEFT JOIN level_value w
  ON i.kind = 'mean' AND w.level = v.level AND w.indicator = i.weight_indicator AND w.period = v.period AND w.code = v.code
WHERE i.kind = 'count' OR (i.kind = 'rate' AND v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
   OR (i.kind = 'mean' AND w.value IS NOT NULL)
GROUP BY v.level, v.indicator, v.period, i.kind, i.scale;

-- Run members as published: areas hidden for the run's level and period (secondary suppression:
-- they take part in the analysis, so that results match the established tools, but their types
-- and hotspot classes would tell about their values) are left out of every reader.
CREATE VIEW typology_member_public AS
SELECT m.* FROM typology_member m JOIN typology_run r ON r.id = m.run_id
 WHERE NOT EXISTS (SELECT 1 FROM area_suppression x WHERE x.level = r.level AND x.period = r.period AND x.code = m.code);

CREATE VIEW hotspot_member_public AS
SELECT m.* FROM hotspot_member m JOIN hotspot_run r ON r.id = m.run_id
 WHERE NOT EXISTS (SELECT 1 FROM area_suppression x WHERE x.level = r.level AND x.period = r.period AND x.code = m.code);
