-- Indicator values with the confidentiality flag.
-- An area is suppressed for a period when its population (setting population_indicator,
-- same level and period) is missing or below suppression_threshold: the MSS 'KOM' rule.
-- An area is excluded from analyses when it is suppressed, or when the validity
-- indicator (setting validity_indicator, e.g. MSS KOM: 0 = valid) is non-zero.
CREATE VIEW indicator_value AS
WITH s AS (
  SELECT max(value) FILTER (WHERE key = 'population_indicator') AS pop_indicator,
         max(value) FILTER (WHERE key = 'suppression_threshold')::double precision AS threshold,
         max(value) FILTER (WHERE key = 'validity_indicator') AS validity_indicator
    FROM setting
), population_periods AS (
  -- level × period combinations that have population figures at all; elsewhere nothing is suppressed
  SELECT DISTINCT p.level, p.period FROM observation p, s WHERE p.indicator = s.pop_indicator
)
SELECT o.level, o.code, o.indicator, o.period, o.value, o.numerator, o.denominator,
       (pp.level IS NOT NULL AND (pop.value IS NULL OR pop.value < s.threshold)) AS suppressed,
       COALESCE(val.value, 0) <> 0 AS invalid,
       pop.value AS population
FROM observation o
CROSS JOIN s
LEFT JOIN population_periods pp ON pp.level = o.level AND pp.period = o.period
LEFT JOIN observation pop
  ON pop.level = o.level AND pop.code = o.code AND pop.period = o.period AND pop.indicator = s.pop_indicator
LEFT JOIN observation val
  ON val.level = o.level AND val.code = o.code AND val.period = o.period AND val.indicator = s.validity_indicator;

-- Parent-level values aggregated from the child level, per indicator kind:
-- rates as scale·Σnumerator/Σdenominator (never the mean of rates), counts as Σ.
-- Suppressed children still count in the parent sums: only their own values are hidden.
CREATE VIEW aggregated_value AS
SELECT l.key AS level, a.parent_code AS code, o.indicator, o.period,
       CASE i.kind
         WHEN 'rate'  THEN CASE WHEN sum(o.denominator) > 0 THEN i.scale * sum(o.numerator) / sum(o.denominator) END
         WHEN 'count' THEN sum(o.value)
       END AS value,
       CASE WHEN i.kind = 'rate' THEN sum(o.numerator) END AS numerator,
       CASE WHEN i.kind = 'rate' THEN sum(o.denominator) END AS denominator,
       count(o.value)::integer AS n_children
FROM observation o
JOIN indicator i ON i.key = o.indicator AND i.kind IN ('rate', 'count')
JOIN area a ON a.level = o.level AND a.code = o.code
JOIN level c ON c.key = o.level
JOIN level l ON l.key = c.parent_level
WHERE a.parent_code IS NOT NULL
  AND (i.kind = 'count' OR (o.numerator IS NOT NULL AND o.denominator IS NOT NULL))
GROUP BY l.key, a.parent_code, o.indicator, o.period, i.kind, i.scale;

-- Whole-region value of a level (all areas of the level together), same rules.
CREATE VIEW region_value AS
SELECT o.level, o.indicator, o.period,
       CASE i.kind
         WHEN 'rate'  THEN CASE WHEN sum(o.denominator) > 0 THEN i.scale * sum(o.numerator) / sum(o.denominator) END
         WHEN 'count' THEN sum(o.value)
       END AS value,
       count(o.value)::integer AS n
FROM observation o
JOIN indicator i ON i.key = o.indicator AND i.kind IN ('rate', 'count')
WHERE i.kind = 'count' OR (o.numerator IS NOT NULL AND o.denominator IS NOT NULL)
GROUP BY o.level, o.indicator, o.period, i.kind, i.scale;
