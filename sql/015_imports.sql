-- Uploads through the browser (issue 15): each file is kept with its settings so the preview can
-- be repeated after a change of mapping, committed, listed in the history and undone. The bytes
-- live in the row (bytea): transactional with the rest, and capped by config (maxUploadBytes).
CREATE TABLE upload (
  id         bigserial PRIMARY KEY,
  created    timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL,                   -- account name, or 'token' for the bearer token
  file_name  text NOT NULL,
  sha256     text NOT NULL,                   -- hex
  size       integer NOT NULL CHECK (size >= 0),
  kind       text NOT NULL CHECK (kind IN ('indicators')),
  settings   jsonb NOT NULL DEFAULT '{}',     -- the import options (level, code column, period, …)
  status     text NOT NULL DEFAULT 'preview' CHECK (status IN ('preview', 'committed', 'undone')),
  bytes      bytea NOT NULL,
  report     jsonb,                           -- the import report of the commit
  committed  timestamptz,
  committed_by text,
  undone     timestamptz,
  undone_by  text
);
CREATE INDEX upload_created_idx ON upload (created DESC);

-- What an indicator import wrote, per observation: the values before (existed = false: the row
-- was added) and after, so an undo restores exactly the state before and can tell whether a later
-- write changed the row since.
CREATE TABLE upload_observation (
  upload          bigint NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
  level           text NOT NULL,
  indicator       text NOT NULL,
  period          date NOT NULL,
  code            text NOT NULL,
  existed         boolean NOT NULL,
  old_value       double precision,
  old_numerator   double precision,
  old_denominator double precision,
  new_value       double precision,
  new_numerator   double precision,
  new_denominator double precision,
  PRIMARY KEY (upload, level, indicator, period, code)
);
CREATE INDEX upload_observation_row_idx ON upload_observation (level, indicator, period, code);

-- Indicators an import created (they had no definition): an undo removes them again.
CREATE TABLE upload_indicator (
  upload    bigint NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
  indicator text NOT NULL,
  PRIMARY KEY (upload, indicator)
);
