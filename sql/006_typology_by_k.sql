-- Types for every k of a typology run's range (issue 7/5: "choose a k to see the types on the map").
-- k-means runs for every k of the range anyway; the run now keeps each k's partition, so a stored
-- run can show any k without recomputation. Both arrays are aligned with result->'byK' (k ascending,
-- the same order as result->'typesByK', which holds each k's types with profiles and labels).
-- Runs stored before this migration keep NULL here and no typesByK: they show their chosen k only.
ALTER TABLE typology_member
  ADD COLUMN type_by_k       int[],               -- type (1 = least need … k) for each k of the run
  ADD COLUMN silhouette_by_k double precision[];  -- the area's silhouette for each k (null outside a sample)
