/**
 * What a file says about itself, read from its cells before anything is imported: the decimal
 * mark and thousands separator of its numbers, the missing-value codes it uses, and which column
 * most likely holds the area code. Pure functions over text cells; the preview (preview.ts) shows
 * the result and the user can change every guess.
 */

/** Missing-value codes of German statistical tables (Destatis/office style), besides the CLI's -9999. */
export const GERMAN_MISSING = ['–', '—', '.', 'x', 'X', '-', '/', '…'];

/** Column names that usually hold an area code, compared case-insensitively. */
const CODE_NAMES = /^(code|schl(ü|ue)ssel|gebietsschl(ü|ue)ssel|id|plr|bzr|pgr|bez|ags|ars|gebiet_?id|raumid|nr)$/i;

/** ',' when more number-like cells read as decimal comma than decimal point, else '.'. */
export function detectDecimal(cells: string[]): '.' | ',' {
  let comma = 0;
  let point = 0;
  for (const raw of cells) {
    const c = raw.trim();
    if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(c) || /^[+-]?\d+,\d+$/.test(c)) comma++;
    else if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(c) && c.includes('.')) point++;
    else if (/^[+-]?\d*\.\d+$/.test(c) && !/^[+-]?\d{1,3}\.\d{3}$/.test(c)) point++;
  }
  return comma > point ? ',' : '.';
}

/** The thousands separator seen in the numbers (1.234,5 → '.'), or null. */
export function detectThousands(cells: string[], decimal: '.' | ','): '.' | ',' | ' ' | null {
  const grouped = decimal === ',' ? /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/ : /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
  if (cells.some((c) => grouped.test(c.trim()))) return decimal === ',' ? '.' : ',';
  if (cells.some((c) => /^[+-]?\d{1,3}( \d{3})+([.,]\d+)?$/.test(c.trim()))) return ' ';
  return null;
}

/** The codes among `candidates` that occur as whole cells. */
export function missingCodesUsed(cells: string[], candidates: string[]): string[] {
  const present = new Set(cells.map((c) => c.trim()));
  return candidates.filter((m) => present.has(m));
}

/**
 * The index of the column that most likely holds the area code: the one whose cells match most
 * codes of some level (codes stored as numbers count when zero-padded), then a usual name, else 0.
 */
export function proposeCodeColumn(header: string[], rows: string[][], levelCodes: Map<string, Set<string>>): number {
  let best = -1;
  let bestHits = 0;
  header.forEach((_, i) => {
    for (const codes of levelCodes.values()) {
      const hits = countMatches(
        rows.map((r) => r[i] ?? ''),
        codes,
      );
      if (hits > bestHits) [best, bestHits] = [i, hits];
    }
  });
  if (best >= 0) return best;
  const named = header.findIndex((h) => CODE_NAMES.test(h.trim()));
  return named >= 0 ? named : 0;
}

/** The level whose codes match most cells of a column, or undefined when none matches. */
export function proposeLevel(cells: string[], levelCodes: Map<string, Set<string>>): string | undefined {
  let best: string | undefined;
  let bestHits = 0;
  for (const [level, codes] of levelCodes) {
    const hits = countMatches(cells, codes);
    if (hits > bestHits) [best, bestHits] = [level, hits];
  }
  return best;
}

/** Cells that are a code of the set, directly or with the leading zeros a number cell lost. */
function countMatches(cells: string[], codes: Set<string>): number {
  const width = codes.size > 0 ? codes.values().next().value!.length : 0;
  let hits = 0;
  for (const raw of cells) {
    const c = raw.trim();
    if (codes.has(c) || (/^\d+$/.test(c) && c.length < width && codes.has(c.padStart(width, '0')))) hits++;
  }
  return hits;
}

/** A period column ('period', 'Stichtag', 'Datum', 'Jahr') by name, or -1. */
export function periodColumn(header: string[]): number {
  return header.findIndex((h) => /^(period|stichtag|datum)$/i.test(h.trim()));
}
