-- Sozialraum typologies (issue 7): every run is stored with its full parameters, a fingerprint
-- of the data it read, its metrics, profiles and descriptions (result), and one row per area.
CREATE TABLE typology_run (
  id          bigserial PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  level       text NOT NULL,
  period      date NOT NULL,
  params      jsonb NOT NULL,          -- the validated request with every default filled in
  fingerprint text NOT NULL,           -- sha256 of the codes and values read (same data → same hash)
  chosen_k    int NOT NULL,
  result      jsonb NOT NULL,          -- everything but the members: standardisation, PCA, byK, types …
  indicators  text[] NOT NULL DEFAULT '{}', -- for listing and filtering without opening params
  n_areas     int                       -- areas analysed (after dropping)
);
CREATE INDEX typology_run_level_idx ON typology_run (level, period);

CREATE TABLE typology_member (
  run_id     bigint NOT NULL REFERENCES typology_run(id) ON DELETE CASCADE,
  code       text NOT NULL,
  type       int NOT NULL,              -- 1 = least need … k = most need
  label      text,                      -- the type's short German name
  silhouette double precision,          -- null when the area was outside the silhouette sample
  stability  double precision,          -- share of bootstrap resamples in which the area kept its type
  scores     double precision[],        -- principal component scores (retained components)
  PRIMARY KEY (run_id, code)
);
