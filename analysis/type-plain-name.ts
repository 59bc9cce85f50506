/**
 * Names and descriptions of typology types in plain words for the public (counselling, the
 * published map), suggested from each type's z-profile, e.g. "Viele Kinder in Familien mit wenig
 * Geld und viel Arbeitslosigkeit" or "Ruhige Wohngegend und viele Ältere".
 *
 * Why a second wording next to type-label.ts: planners read "Typ 4: überdurchschnittliche
 * Belastung, Kinderarmut (+1,8 SD)"; a counsellor or a resident should not. These texts use no type
 * numbers, no "Belastung", no "über-/unterdurchschnittlich", no z or SD (JARGON lists what is
 * avoided, and a label that contains such a word is left out of the text). They are only
 * suggestions: an editor stores the final wording with the run.
 *
 * Rules (all on the type's mean z per indicator, in the indicator's own direction, rounded to
 * one decimal): an indicator speaks when |z| ≥ 0.5; the strongest first. Known indicators (the
 * Berlin MSS and register keys) have a phrase for high and for low values; others read
 * "<label>: eher hoch/niedrig". The name joins the strongest phrase and the strongest phrase of a
 * different theme; names within a run are made distinct by adding the next phrase. The
 * description lists, in "mehr/weniger als im Mittel aller Gebiete", what the type differs in.
 */

export interface PlainIndicator {
  key: string;
  /** German label, e.g. "Kinderarmut". */
  label: string;
}

export interface PlainTypeInput {
  type: number;
  /** Mean z per indicator key (population z in the indicator's own direction). */
  meanZ: Readonly<Record<string, number>>;
}

export interface PlainTypeText {
  type: number;
  name: string;
  description: string;
}

/** Words a public text must not contain (checked case-insensitively; SD as a whole word). */
export const JARGON: readonly RegExp[] = [
  /typ/i,
  /belastung/i,
  /überdurchschnittlich/i,
  /unterdurchschnittlich/i,
  /z-wert/i,
  /\bSD\b/,
  /lauf/i,
  /cluster/i,
];

/** True when text contains a word of JARGON. */
export function containsJargon(text: string): boolean {
  return JARGON.some((re) => re.test(text));
}

interface Phrase {
  /** Theme: the name's second phrase comes from another theme, so it adds something. */
  theme: string;
  high: string;
  low: string;
}

/** Phrases (lower case, nominative) for the indicators of the shipped sample. */
const PHRASES: Readonly<Record<string, Phrase>> = {
  S1: { theme: 'arbeit', high: 'viel Arbeitslosigkeit', low: 'wenig Arbeitslosigkeit' },
  S3: {
    theme: 'geld',
    high: 'viele Menschen mit staatlicher Hilfe zum Leben',
    low: 'wenige Menschen mit staatlicher Hilfe zum Leben',
  },
  S4: {
    theme: 'kinder',
    high: 'viele Kinder in Familien mit wenig Geld',
    low: 'wenig Kinderarmut',
  },
  D1: { theme: 'arbeit', high: 'steigende Arbeitslosigkeit', low: 'sinkende Arbeitslosigkeit' },
  D3: { theme: 'geld', high: 'mehr Menschen mit staatlicher Hilfe', low: 'weniger Menschen mit staatlicher Hilfe' },
  D4: {
    theme: 'kinder',
    high: 'mehr Kinder in Familien mit wenig Geld',
    low: 'weniger Kinder in Familien mit wenig Geld',
  },
  KI_01: { theme: 'arbeit', high: 'viele junge Menschen ohne Arbeit', low: 'wenige junge Menschen ohne Arbeit' },
  KI_02: { theme: 'familie', high: 'viele Alleinerziehende', low: 'wenige Alleinerziehende' },
  KI_03: { theme: 'alter', high: 'viele Ältere mit kleiner Rente', low: 'wenige Ältere mit kleiner Rente' },
  KI_04: {
    theme: 'herkunft',
    high: 'viele Kinder aus eingewanderten Familien',
    low: 'wenige Kinder aus eingewanderten Familien',
  },
  KI_05: {
    theme: 'herkunft',
    high: 'viele Menschen mit Einwanderungsgeschichte',
    low: 'wenige Menschen mit Einwanderungsgeschichte',
  },
  KI_16: { theme: 'herkunft', high: 'viele Menschen ohne deutschen Pass', low: 'wenige Menschen ohne deutschen Pass' },
  KI_17: {
    theme: 'herkunft',
    high: 'viele Zugewanderte von außerhalb der EU',
    low: 'wenige Zugewanderte von außerhalb der EU',
  },
  KI_07: {
    theme: 'geld',
    high: 'viele Zugewanderte mit wenig Geld',
    low: 'wenige Zugewanderte mit wenig Geld',
  },
  KI_09: { theme: 'wohnen', high: 'einfache, laute Wohnlage', low: 'gute, ruhige Wohnlage' },
  KI_10: { theme: 'umzug', high: 'viele wohnen schon lange hier', low: 'viele sind erst vor kurzem hergezogen' },
  KI_11: { theme: 'umzug', high: 'viele Umzüge', low: 'ruhige Wohngegend mit wenigen Umzügen' },
  KI_12: { theme: 'wachstum', high: 'mehr Zuzug als Wegzug', low: 'mehr Wegzug als Zuzug' },
  KI_13: {
    theme: 'familie',
    high: 'Familien mit kleinen Kindern ziehen zu',
    low: 'Familien mit kleinen Kindern ziehen weg',
  },
  EW_65: { theme: 'alter', high: 'viele Ältere', low: 'wenige Ältere' },
  EW_U18: { theme: 'kinder', high: 'viele Kinder und Jugendliche', low: 'wenige Kinder und Jugendliche' },
};

/** The band a rounded z speaks in: 2 clearly high, 1 high, 0 average, −1 low, −2 clearly low. */
function band(z: number): number {
  if (z >= 1) return 2;
  if (z >= 0.5) return 1;
  if (z <= -1) return -2;
  if (z <= -0.5) return -1;
  return 0;
}

interface Feature {
  key: string;
  label: string;
  z: number;
  theme: string;
  phrase: string;
}

/** The indicators a type differs in (|z| ≥ 0.5 after rounding), strongest first; jargon labels left out. */
function featuresOf(t: PlainTypeInput, indicators: readonly PlainIndicator[]): Feature[] {
  const out: Feature[] = [];
  for (const ind of indicators) {
    const raw = t.meanZ[ind.key];
    if (raw === undefined || !Number.isFinite(raw)) continue;
    const z = Math.round(raw * 10) / 10;
    if (band(z) === 0) continue;
    const known = PHRASES[ind.key];
    if (!known && containsJargon(ind.label)) continue;
    const phrase = known ? (z > 0 ? known.high : known.low) : `${ind.label}: eher ${z > 0 ? 'hoch' : 'niedrig'}`;
    out.push({ key: ind.key, label: ind.label, z, theme: known?.theme ?? `key:${ind.key}`, phrase });
  }
  // strongest first; ties in the indicators' order (stable sort)
  return out.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
}

const capitalise = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s);

/**
 * The phrases of a name: the strongest, then the strongest of another theme (a second phrase of the
 * same theme says the same thing twice), then as many more as `extra` asks (to tell two types apart).
 */
function namePhrases(features: Feature[], extra: number): string[] {
  if (features.length === 0) return [];
  const picked: Feature[] = [features[0]];
  const second = features.find((f) => f.theme !== features[0].theme);
  if (second) picked.push(second);
  const limit = picked.length + extra;
  for (const f of features) {
    if (picked.length >= limit) break;
    if (!picked.includes(f)) picked.push(f);
  }
  return picked.map((f) => f.phrase);
}

function joinName(phrases: string[]): string {
  if (phrases.length === 0) return 'Gemischte Wohngegend nahe am Mittel';
  if (phrases.length === 1) return capitalise(phrases[0]);
  return capitalise(`${phrases.slice(0, -1).join(', ')} und ${phrases[phrases.length - 1]}`);
}

/** "Deutlich mehr als im Mittel aller Gebiete: A, B. Weniger …: C." from the features. */
function describe(features: Feature[]): string {
  if (features.length === 0) return 'In allen betrachteten Kennzahlen nahe am Mittel aller Gebiete.';
  const groups: [number, string][] = [
    [2, 'Deutlich mehr als im Mittel aller Gebiete'],
    [1, 'Mehr als im Mittel aller Gebiete'],
    [-1, 'Weniger als im Mittel aller Gebiete'],
    [-2, 'Deutlich weniger als im Mittel aller Gebiete'],
  ];
  const sentences: string[] = [];
  for (const [b, lead] of groups) {
    const labels = features.filter((f) => band(f.z) === b).map((f) => f.label);
    if (labels.length > 0) sentences.push(`${lead}: ${labels.join(', ')}.`);
  }
  return sentences.join(' ');
}

/**
 * Plain names and descriptions for the types of one run (one k): distinct names (a name shared by
 * two types gets its next phrase; the last resort is a number in words), in the input's order.
 */
export function plainTypeTexts(
  types: readonly PlainTypeInput[],
  indicators: readonly PlainIndicator[],
): PlainTypeText[] {
  const features = types.map((t) => featuresOf(t, indicators));
  const extra = types.map(() => 0);
  let names = types.map((_, i) => joinName(namePhrases(features[i], 0)));
  for (let round = 0; round < 4; round++) {
    const seen = new Map<string, number>();
    for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
    const clash = names.map((n) => (seen.get(n) ?? 0) > 1);
    if (!clash.some(Boolean)) break;
    names = names.map((n, i) => {
      if (!clash[i]) return n;
      extra[i]++;
      return joinName(namePhrases(features[i], extra[i]));
    });
  }
  const ORDINAL = ['erste', 'zweite', 'dritte', 'vierte', 'fünfte', 'sechste', 'siebte', 'achte', 'neunte', 'zehnte'];
  const count = new Map<string, number>();
  const total = new Map<string, number>();
  for (const n of names) total.set(n, (total.get(n) ?? 0) + 1);
  names = names.map((n) => {
    if ((total.get(n) ?? 0) < 2) return n;
    const i = count.get(n) ?? 0;
    count.set(n, i + 1);
    return `${n} (${ORDINAL[i] ?? `Nr. ${i + 1}`} Gruppe)`;
  });
  return types.map((t, i) => ({ type: t.type, name: names[i], description: describe(features[i]) }));
}

/**
 * Order of need: rank 1 = the type with the highest need score (the mean polarity-adjusted z of
 * its profile); ties go to the higher type number, which typeProfiles() gives the more needy one.
 */
export function needRanks(types: readonly { type: number; needScore: number }[]): Map<number, number> {
  const sorted = [...types].sort((a, b) => b.needScore - a.needScore || b.type - a.type);
  return new Map(sorted.map((t, i) => [t.type, i + 1]));
}
