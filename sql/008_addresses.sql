-- The address register for the street search (GET /api/search, server/services/search.ts): the addresses
-- with the area they lie in, filled by geodata/import/addresses.ts (`import addresses`, and the
-- Berlin sample: Adressen Berlin 2023-06 with their 2021 Planungsraum). No coordinates: a hit leads to
-- its area. street_folded and ortsteil_folded hold analysis/text-fold.ts searchKey() of the name
-- (lower case, umlauts and their spellings as the bare vowel, "straße"/"str." as "str", no spaces
-- or hyphens), computed by the importer with the same function that folds the query.
--
-- One row per street × postcode × Ortsteil × area, its house numbers as two parallel arrays: the Berlin
-- register (401 032 addresses) is 13 737 such rows. One row per address made the table 81 MB and every
-- test database copy 64 MB, for no gain: a search reads a street's numbers with unnest().
CREATE TABLE address (
  id              bigserial PRIMARY KEY,
  street          text NOT NULL,
  street_folded   text NOT NULL,
  plz             text NOT NULL,
  ortsteil        text NOT NULL,
  ortsteil_folded text NOT NULL,
  level           text NOT NULL,
  code            text NOT NULL,
  -- house_numbers[i] with suffixes[i]: NULL = an address without a number (a square, an allotment);
  -- the suffix is the letter after the number as published ('B'), '' when none. Sorted by number, suffix.
  house_numbers   integer[] NOT NULL,
  suffixes        text[] NOT NULL,
  CHECK (cardinality(house_numbers) = cardinality(suffixes) AND cardinality(house_numbers) > 0),
  UNIQUE (level, code, street, plz, ortsteil),
  FOREIGN KEY (level, code) REFERENCES area (level, code) ON DELETE CASCADE
);

-- Prefix search on the folded names: text_pattern_ops lets LIKE 'prefix%' use a btree on PGlite and on
-- the server alike, whatever the collation (no pg_trgm needed).
CREATE INDEX address_street_folded ON address (street_folded text_pattern_ops);
CREATE INDEX address_plz ON address (plz text_pattern_ops);
CREATE INDEX address_ortsteil_folded ON address (ortsteil_folded text_pattern_ops);
