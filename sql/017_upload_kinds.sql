-- Uploads of areas, point layers and indicator metadata through the browser (issue 15), next to
-- indicator values (015). Each kind keeps what its commit replaced, so that an undo restores it
-- in one transaction and can tell whether a later write changed the same rows since.
ALTER TABLE upload DROP CONSTRAINT upload_kind_check;
ALTER TABLE upload ADD CONSTRAINT upload_kind_check CHECK (kind IN ('indicators', 'areas', 'points', 'meta'));

-- Areas: every code of the file with the row before (existed = false: added) and a digest of the
-- row the import wrote (changed since = the digest differs).
CREATE TABLE upload_area (
  upload      bigint NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
  level       text NOT NULL,
  code        text NOT NULL,
  existed     boolean NOT NULL,
  name        text,
  parent_code text,
  geom        geometry(MultiPolygon, 4326),
  area_km2    double precision,
  repaired    boolean,
  new_digest  text,
  PRIMARY KEY (upload, level, code)
);
CREATE INDEX upload_area_row_idx ON upload_area (level, code);

-- Areas: whether the level existed before (an undo removes a level the import created) and the
-- comparability register rows (area_change) the import inserted.
CREATE TABLE upload_level (
  upload  bigint PRIMARY KEY REFERENCES upload(id) ON DELETE CASCADE,
  level   text NOT NULL,
  existed boolean NOT NULL,
  old_parent_level text
);
CREATE TABLE upload_area_change (
  upload     bigint NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
  level      text NOT NULL,
  code       text NOT NULL,
  changed_on date NOT NULL,
  kind       text NOT NULL,
  PRIMARY KEY (upload, level, code, changed_on, kind)
);

-- Point layers: the stand (layer, period) before the import, row by row, and its layer row.
CREATE TABLE upload_point_layer (
  upload    bigint PRIMARY KEY REFERENCES upload(id) ON DELETE CASCADE,
  layer     text NOT NULL,
  period    date NOT NULL,
  old       jsonb,                          -- point_layer row before; null: the stand was new
  new_imported_at timestamptz               -- point_layer.imported_at written by the import
);
CREATE TABLE upload_point (
  upload  bigint NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
  fid     text NOT NULL,
  name    text,
  address text,
  attrs   jsonb NOT NULL,
  geom    geometry(Point, 4326) NOT NULL,
  PRIMARY KEY (upload, fid)
);

-- Indicator metadata: each key's definition before (null: added) and after the import.
CREATE TABLE upload_meta (
  upload  bigint NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
  key     text NOT NULL,
  old     jsonb,
  new     jsonb,
  PRIMARY KEY (upload, key)
);
