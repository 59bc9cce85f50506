-- Indexes for what the read API filters on (issue 13), found with EXPLAIN ANALYZE on the sample:
-- the catalogue's period lists per indicator on any level (level_value's primary key starts with
-- the level), an area looked up by code alone (/api/areas/{code} without ?level=: the primary
-- key starts with the level), and the public catalogue in its order.
CREATE INDEX IF NOT EXISTS level_value_indicator_idx ON level_value (indicator, period);
CREATE INDEX IF NOT EXISTS area_code_idx ON area (code);
CREATE INDEX IF NOT EXISTS indicator_public_order_idx ON indicator (sort_order, key) WHERE visibility = 'public';

-- Planner statistics for the tables every reader joins. PGlite has no autovacuum, so without
-- this its planner assumes one row per table and picks nested loops over the views.
ANALYZE level_value;
ANALYZE area_suppression;
ANALYZE indicator;
ANALYZE level;
ANALYZE setting;
