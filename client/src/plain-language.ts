/**
 * Plain words for the Beratung view. Pure.
 * Counsellors talk to residents: a neighbourhood is described by its type's name and a few figures
 * "mehr/weniger als in Berlin insgesamt", never with statistics vocabulary ("Typ 5", "Belastung",
 * "überdurchschnittlich", run numbers, z or SD) that can stigmatise a neighbourhood. Type texts come
 * from the typology (written for researchers, or edited by a person for a published run); this
 * module turns them into plain words and checks a text for the words that must not appear.
 */

/**
 * A parenthesis that speaks in standard deviations: any text with a number followed by "SD",
 * "Standardabweichung(en)" or "σ" before the closing bracket. Other parentheses ("(in %)") stay.
 */
const STATISTICS_PARENTHESIS = /\s*\([^()]*?\d+(?:[.,]\d+)?\s*(?:SD|Standardabweichungen?|σ)\)/g;

/** Remove "(+1,8 SD)", "(−0,9 SD)", "(keine Abweichung über 0,5 SD)" and the like, and tidy the spaces they leave. */
export function withoutStatistics(text: string): string {
  return text
    .replace(STATISTICS_PARENTHESIS, '')
    .replace(/\s+([,;.:])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/**
 * The words the Beratung view never shows (issue 14), recognised strictly: anywhere in a word and in
 * any case ("Gebietstyp", "Verlauf" count too), only "SD" as a whole word in capitals. The view's own
 * words avoid them all ("Art des Gebiets", "ohne Einordnung").
 */
export const FORBIDDEN_WORDS: readonly { word: string; pattern: RegExp }[] = [
  { word: 'Typ', pattern: /typ/iu },
  { word: 'Belastung', pattern: /belastung/iu },
  { word: 'überdurchschnittlich', pattern: /überdurchschnittlich/iu },
  { word: 'unterdurchschnittlich', pattern: /unterdurchschnittlich/iu },
  { word: 'z-Wert', pattern: /z-wert/iu },
  { word: 'SD', pattern: /(?<!\p{L})SD(?!\p{L})/u },
  { word: 'Lauf', pattern: /lauf/iu },
  { word: 'Cluster', pattern: /cluster/iu },
];

/** The forbidden words found in a text, in the order of FORBIDDEN_WORDS; [] for a plain text. */
export function forbiddenWords(text: string): string[] {
  return FORBIDDEN_WORDS.filter((f) => f.pattern.test(text)).map((f) => f.word);
}

/**
 * Statistics phrases and their plain replacements, longest first so "deutlich überdurchschnittliche
 * Belastung" is replaced as a whole before "überdurchschnittlich" alone. {R} is the region's name.
 */
const PHRASES: readonly [RegExp, string][] = [
  [/deutlich überdurchschnittliche Belastung/gu, 'sehr hoher Unterstützungsbedarf'],
  [/deutlich unterdurchschnittliche Belastung/gu, 'sehr geringer Unterstützungsbedarf'],
  [/überdurchschnittliche Belastung/gu, 'hoher Unterstützungsbedarf'],
  [/unterdurchschnittliche Belastung/gu, 'geringer Unterstützungsbedarf'],
  [/durchschnittliche Belastung/gu, 'mittlerer Unterstützungsbedarf'],
  [/in allen Indikatoren durchschnittlich/gu, 'in allen Angaben etwa wie in {R} insgesamt'],
  [/deutlich überdurchschnittlich/gu, 'deutlich mehr als in {R} insgesamt'],
  [/deutlich unterdurchschnittlich/gu, 'deutlich weniger als in {R} insgesamt'],
  [/überdurchschnittlich/gu, 'mehr als in {R} insgesamt'],
  [/unterdurchschnittlich/gu, 'weniger als in {R} insgesamt'],
  [/(?<!\p{L})durchschnittlich(?!\p{L})/gu, 'etwa wie in {R} insgesamt'],
  [/Belastungen/gu, 'Schwierigkeiten'],
  [/Belastung/gu, 'Unterstützungsbedarf'],
  [/Cluster/gu, 'Gruppe'],
];

/**
 * A type's text in plain words: without effect sizes in SD, without a leading "Typ 3:", the
 * statistics phrases replaced ("überdurchschnittlich" → "mehr als in Berlin insgesamt").
 */
export function plainWords(text: string, region = 'Berlin'): string {
  let out = withoutStatistics(text).replace(/^\s*Typ\s+\d+\s*[:–-]?\s*/u, '');
  for (const [re, plain] of PHRASES) out = out.replace(re, plain.replaceAll('{R}', region));
  out = out.replace(/\s{2,}/g, ' ').trim();
  return out ? out[0].toUpperCase() + out.slice(1) : out;
}

/**
 * The name of a type as counselling shows it: the name an editor gave it (published run), else the
 * typology's label, in plain words; a name that is still not plain (a bare "Typ 3") gives way to a
 * neutral one, so no type number ever appears.
 */
export function plainTypeName(
  t: { type: number; name?: string; label?: string; needRank?: number },
  region = 'Berlin',
): string {
  for (const candidate of [t.name, t.label]) {
    if (!candidate) continue;
    const plain = plainWords(candidate, region);
    if (plain && forbiddenWords(plain).length === 0) return plain;
  }
  return 'Gebiet ohne Beschreibung';
}
