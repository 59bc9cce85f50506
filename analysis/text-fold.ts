/**
 * Folding of place names and search input for the street and area search (server/services/search.ts,
 * the address importer, the client's search field): people type "Stulerstrasse", "stülerstr." or
 * "Stüler Straße" for Stülerstraße, and "ackerstr 1 b" for Ackerstraße 1B. Pure and dependency-free,
 * so the importer folds the stored names with exactly the function that folds the query; it lives in
 * analysis/ because the client may only import client/ and analysis/.
 *
 * Two steps:
 * - foldText: lower case; ä→ae, ö→oe, ü→ue, ß→ss; other accents dropped (é→e); "straße", "strasse",
 *   "str." and "str" are one form "str"; spaces, hyphens, dots and other punctuation removed
 *   ("Jean-Jaurès-Straße" → "jeanjauresstr").
 * - searchKey: foldText, then the umlaut spellings ae/oe/ue reduced to their bare vowel, so that the
 *   transliteration ("Stuelerstrasse") and the bare vowel ("Stulerstrasse") meet the umlaut
 *   ("Stülerstraße") in one key "stulerstr". Both sides of every comparison use searchKey; a few
 *   unrelated names share a key ("Mauerstraße" and a typed "Maurstraße"), which only adds a hit.
 */

/** Lower case, umlauts as ae/oe/ue, ß as ss, other accents dropped, "straße"/"strasse"/"str." as "str", no spaces or punctuation. */
export function foldText(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  return s.replace(/strasse/g, 'str').replace(/[^a-z0-9]+/g, '');
}

/** The matching key: foldText with ae/oe/ue reduced to a/o/u (umlaut, transliteration and bare vowel agree). */
export function searchKey(text: string): string {
  return foldText(text).replace(/([aou])e/g, '$1');
}

/** A house number as typed: "1", "1B", "1 b", "1-3" (a range, inclusive), "12a-12c". */
export interface HouseNumber {
  from: number;
  /** Last number of a range ("1-3" → 3); equals from for a single number. */
  to: number;
  /** The letter suffix in lower case ("1B" → "b"), null when none was typed. */
  suffix: string | null;
}

/** A query split into the street part and a trailing house number, when it ends in one. */
export interface ParsedAddress {
  /** The text before the house number, as typed (trimmed). */
  street: string;
  number: HouseNumber;
}

/**
 * Splits "Ackerstraße 1B", "ackerstr 1 b", "Sonnenallee 10-12" into street and house number. Returns
 * null when the text does not end in a number after some street text (a bare "10115" is a postcode or
 * a code, not an address). The caller also keeps the whole text as a street name, because some street
 * names end in a number ("Straße 59").
 */
export function parseAddress(text: string): ParsedAddress | null {
  const m = /^(.*?[\p{L}.)])[\s,]*(\d{1,4})\s*([a-z])?(?:\s*[-–/]\s*(\d{1,4})\s*([a-z])?)?\s*$/iu.exec(text.trim());
  if (!m) return null;
  const street = m[1].trim();
  if (searchKey(street) === '') return null;
  const from = Number(m[2]);
  const to = m[4] !== undefined ? Number(m[4]) : from;
  if (to < from) return null;
  // A suffix only for a single number; "12a-12c" is read as the range 12–12 of any suffix.
  const suffix = m[4] === undefined && m[3] ? m[3].toLowerCase() : null;
  return { street, number: { from, to, suffix } };
}

/** "1B" for number 1 with suffix "B": how a house number is written in labels. */
export function formatHouseNumber(number: number | null, suffix: string | null): string {
  return `${number ?? ''}${suffix ?? ''}`;
}
