/**
 * The alphabet of keys that travel in URLs: indicator keys, level keys and area codes. Defined
 * once here so that the importer (geodata/import) refuses at import time what the API's request
 * schemas (server/http/params.ts) would refuse later: a key with an umlaut or a space could be
 * imported but never read over HTTP. Pure; the suggested spelling of a rejected key comes from
 * `suggestKey` (Übergänge → Uebergaenge, ß → ss).
 */

/** Indicator keys such as 'S4', 'KI_01', 'alq.u25': letters A–Z/a–z, digits, _ . -, 1–60 characters. */
export const INDICATOR_KEY_PATTERN = /^[A-Za-z0-9_.-]{1,60}$/;
export const INDICATOR_KEY_RULE = 'Indikator: Buchstaben, Ziffern, _ . oder -';
export const INDICATOR_KEY_MAX = 60;

/** Level keys such as 'plr' or 'kreis': letters, digits, _ -, 1–40 characters. */
export const LEVEL_KEY_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
export const LEVEL_KEY_RULE = 'Ebene: Buchstaben, Ziffern, _ oder -';
export const LEVEL_KEY_MAX = 40;

/** Area codes (official keys as text, e.g. '01100101'): letters, digits, _ . -, 1–40 characters. */
export const AREA_CODE_PATTERN = /^[A-Za-z0-9_.-]{1,40}$/;
export const AREA_CODE_RULE = 'Gebietsschlüssel: Buchstaben, Ziffern, _ . oder -';

/** German letters and a few common others, written out in ASCII as German offices do. */
const TRANSLITERATION: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'Ae',
  ø: 'oe',
  Ø: 'Oe',
  œ: 'oe',
  Œ: 'Oe',
  '%': 'proz',
  '/': '_',
  '+': '_',
  '&': '_',
  ' ': '_',
};

/**
 * A spelling of `key` in the alphabet of `pattern` ('indicator': _ . -; 'level': _ -): German
 * letters written out (Ü → Ue, ß → ss), other accents dropped (é → e), spaces and separators
 * as _, anything else removed, cut to the maximum length. Undefined when nothing usable is left.
 */
export function suggestKey(key: string, kind: 'indicator' | 'level' = 'indicator'): string | undefined {
  const max = kind === 'indicator' ? INDICATOR_KEY_MAX : LEVEL_KEY_MAX;
  const allowed = kind === 'indicator' ? /[A-Za-z0-9_.-]/ : /[A-Za-z0-9_-]/;
  let out = '';
  for (const ch of key.trim()) {
    const t = TRANSLITERATION[ch] ?? ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    for (const c of t) out += allowed.test(c) ? c : /[\s.,;:]/.test(c) ? '_' : '';
  }
  out = out
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max);
  return out === '' ? undefined : out;
}
