-- The catalogue names where each indicator comes from and under which terms it may be shown
-- (issue 15): 'source' (Quelle, e.g. "Amt für Statistik Berlin-Brandenburg, MSS 2021") and
-- 'attribution' (Nutzungsbedingungen/Namensnennung, e.g. "CC BY 3.0 DE"). Both optional; edited in
-- PATCH /api/indicators/{key}, imported by `import meta`, shown next to the description.
ALTER TABLE indicator ADD COLUMN source text;
ALTER TABLE indicator ADD COLUMN attribution text;
