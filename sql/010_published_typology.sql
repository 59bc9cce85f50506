-- 010 Published typology (issue 14, item 1): an editor publishes at most one typology run per level
-- (planning and counselling show only that run; research runs stay private to the research view),
-- and names each type of a run in plain words.
--
-- typology_run.published: at most one published run per level (partial unique index); publishing a
-- run unpublishes the level's other run in the same transaction (server/services/typology/publication.ts).
-- typology_type_text: the edited name and plain description of one type of a run for one k of its
-- range; a type without a row is named by a suggestion computed from its profile
-- (analysis/type-plain-name.ts), so only what a person wrote is stored.
ALTER TABLE typology_run ADD COLUMN published boolean NOT NULL DEFAULT false;
ALTER TABLE typology_run ADD COLUMN published_at timestamptz;
CREATE UNIQUE INDEX typology_run_published_level_idx ON typology_run (level) WHERE published;

CREATE TABLE typology_type_text (
  run_id      bigint NOT NULL REFERENCES typology_run(id) ON DELETE CASCADE,
  k           int NOT NULL CHECK (k >= 2),
  type        int NOT NULL CHECK (type >= 1 AND type <= k),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
  edited_by   text,
  edited_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, k, type)
);
