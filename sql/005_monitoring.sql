-- Monitoring over time: warning rules, the register of area changes behind the
-- comparability flag, and the attribution printed on profiles.

-- Warning rules ("soziales Warnsystem"). params holds the type's parameters (analysis/warnings.ts):
--   threshold   {indicator, op: 'above'|'below', value, inclusive?}
--   target      {indicator}                      (target and direction from the indicator table)
--   trend       {indicator, periods, minStep?}   (worsening in each of the last n steps)
--   hotspot     {runId?, indicator?, minClass?}  (hotspot_member.class >= minClass, default 1)
--   index_class {status?: [...], dynamics?: [...], statusIndicators?, dynamicsIndicators?}
-- level NULL = the rule applies on every level; a rule whose indicators do not exist on a level
-- is reported as "nicht anwendbar" there instead of failing. No foreign key to level on purpose:
-- the default rule below exists before any level is imported.
CREATE TABLE warning_rule (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL,
  type       text NOT NULL CHECK (type IN ('threshold', 'target', 'trend', 'hotspot', 'index_class')),
  level      text,
  severity   text NOT NULL DEFAULT 'warnung' CHECK (severity IN ('info', 'warnung', 'kritisch')),
  enabled    boolean NOT NULL DEFAULT true,
  params     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The default rule of the Berlin MSS: status "sehr niedrig" together with dynamics "negativ"
-- (group 4- of the Gesamtindex Soziale Ungleichheit). It is inserted here, in the migration,
-- rather than by the sample loader, so that it exists in every database and survives a reload
-- of the sample; it only fires where the MSS index indicators (S1, S3, S4 / D1, D3, D4) exist.
INSERT INTO warning_rule (name, type, level, severity, params) VALUES
  ('MSS: Status sehr niedrig und Dynamik negativ', 'index_class', NULL, 'kritisch',
   '{"status": ["sehr niedrig"], "dynamics": ["negativ"]}'::jsonb);

-- Register of area changes: one row when an area's geometry or code changed (boundary
-- reform, merger, split, recoding), effective on changed_on. The change of an indicator between
-- periods `from` and `to` is flagged "nicht vergleichbar" for an area when a row with
-- from < changed_on <= to exists for it. The `area` table keeps only the current geometry, so
-- the flag cannot be derived from geometries; it is recorded by whoever imports data that knows
-- of a change (importers, loaders or by hand). No row = comparable, which is the honest default
-- for harmonised series such as GISD (recomputed on one territorial state for all years).
CREATE TABLE area_change (
  level       text NOT NULL,
  code        text NOT NULL,
  changed_on  date NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('geometry', 'code', 'merge', 'split')),
  predecessor text[],          -- former codes, where the change is a recoding or merger
  note        text,
  PRIMARY KEY (level, code, changed_on, kind)
);

-- Attribution lines printed on profiles: setting 'attribution.<level>', falling back to 'attribution'.
INSERT INTO setting (key, value) VALUES
  ('attribution', 'Datenquelle: siehe Importprotokoll'),
  ('attribution.plr', 'Daten: Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen Berlin, Monitoring Soziale Stadtentwicklung 2021 · Einwohnerregister 2021–2024: Amt für Statistik Berlin-Brandenburg · Geometrie: Geoportal Berlin (LOR 2021)'),
  ('attribution.bzr', 'Daten: Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen Berlin, Monitoring Soziale Stadtentwicklung 2021 (aggregiert) · Einwohnerregister 2021–2024: Amt für Statistik Berlin-Brandenburg · Geometrie: Geoportal Berlin (LOR 2021)')
ON CONFLICT (key) DO NOTHING;
