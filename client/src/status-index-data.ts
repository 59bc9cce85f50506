/**
 * The MSS status and dynamics index (GET /api/index) as a map: the class of each Planungsraum,
 * colours in the order of the classes, a legend with the class limits and counts, the hover text
 * and the line for the area panel. Class names are the analysis module's own (hoch, mittel,
 * niedrig, sehr niedrig; positiv, stabil, negativ). Pure: no DOM, tested in node.
 */
import type { FeatureLike } from 'ol/Feature.js';
import { DYNAMICS_LABELS, STATUS_LABELS } from '../../analysis/status-index.js';
import { formatNumber, formatPeriod, formatSigned } from './format.js';
import { areasCount, categoryLegendEntries, type Legend } from './legend.js';
import { NO_DATA_COLOUR } from './palettes.js';
import type { LayerResult } from './fill-rules.js';
import type { IndexMemberOut } from '../../server/api-types.js';

/** Which of the two indices the map shows. */
export type IndexAspect = 'status' | 'dynamik';

/** One area of the answer, as the API types define it. */
export type IndexMember = IndexMemberOut;

export interface IndexAnswer {
  level: string;
  period: string;
  status: { indicators: string[]; cutoffs: { high: number; low: number; veryLow: number } };
  dynamics: { indicators: string[]; cutoffs: { positive: number; negative: number } };
  members: IndexMember[];
}

/**
 * Class colours, from good to bad as in the MSS maps: status from green (hoch) over pale yellow to
 * dark red (sehr niedrig); dynamics green (positiv), pale (stabil), red (negativ). The class code is
 * the API's (status 1–4, dynamics 1, 3, 5).
 */
export const STATUS_COLOURS: Readonly<Record<number, string>> = {
  1: '#1a9641',
  2: '#ffffbf',
  3: '#fdae61',
  4: '#d7191c',
};
export const DYNAMICS_COLOURS: Readonly<Record<number, string>> = { 1: '#1a9641', 3: '#ffffbf', 5: '#d7191c' };

/** Colour of areas without a class (hidden, invalid, value missing). */
export const INDEX_NO_CLASS_COLOUR = NO_DATA_COLOUR;

export function indexCode(m: IndexMember, aspect: IndexAspect): number | null {
  return aspect === 'status' ? m.statusCode : m.dynamicsCode;
}

export function indexColour(code: number | null, aspect: IndexAspect): string {
  if (code === null) return INDEX_NO_CLASS_COLOUR;
  return (aspect === 'status' ? STATUS_COLOURS : DYNAMICS_COLOURS)[code] ?? INDEX_NO_CLASS_COLOUR;
}

/** The class limits in words, from the cutoffs the answer was computed with ("z unter −1,0"). */
export function classLimitTexts(answer: IndexAnswer, aspect: IndexAspect): Record<number, string> {
  const f = (x: number) => formatSigned(x, 1).replace(/^\+/, '');
  if (aspect === 'status') {
    const c = answer.status.cutoffs;
    return {
      1: `z unter ${f(c.high)}`,
      2: `z ${f(c.high)} bis ${f(c.low)}`,
      3: `z über ${f(c.low)} bis ${f(c.veryLow)}`,
      4: `z über ${f(c.veryLow)}`,
    };
  }
  const c = answer.dynamics.cutoffs;
  return { 1: `z unter ${f(c.positive)}`, 3: `z ${f(c.positive)} bis ${f(c.negative)}`, 5: `z über ${f(c.negative)}` };
}

export function indexLegend(answer: IndexAnswer, aspect: IndexAspect): Legend {
  const labels: Record<number, string> = aspect === 'status' ? STATUS_LABELS : DYNAMICS_LABELS;
  const limits = classLimitTexts(answer, aspect);
  const codes = Object.keys(labels).map(Number);
  const count = new Map<number, number>();
  let none = 0;
  for (const m of answer.members) {
    const c = indexCode(m, aspect);
    if (c === null) none++;
    else count.set(c, (count.get(c) ?? 0) + 1);
  }
  const part = aspect === 'status' ? answer.status : answer.dynamics;
  return {
    title: aspect === 'status' ? 'Status-Index (MSS)' : 'Dynamik-Index (MSS)',
    subtitle: `${formatPeriod(answer.period)} · Indikatoren ${part.indicators.join(', ')}`,
    entries: categoryLegendEntries(
      codes.map((c) => ({
        colour: indexColour(c, aspect),
        label: `${labels[c]} (${limits[c]})`,
        count: count.get(c) ?? 0,
      })),
    ),
    noData: none
      ? { colour: INDEX_NO_CLASS_COLOUR, label: `ohne Klasse: ${areasCount(none)}`, count: none }
      : undefined,
    note:
      aspect === 'status'
        ? 'Standardisierte Summe der Status-Indikatoren; höherer Wert = niedrigerer sozialer Status.'
        : 'Standardisierte Summe der Veränderungen; höherer Wert = ungünstigere Entwicklung.',
  };
}

/** "Status niedrig (z = 1,23)", or why the area has no class. */
export function indexText(m: IndexMember, aspect: IndexAspect): string {
  const cls = aspect === 'status' ? m.statusClass : m.dynamicsClass;
  const z = aspect === 'status' ? m.statusZ : m.dynamicsZ;
  const what = aspect === 'status' ? 'Status' : 'Dynamik';
  if (cls === null || z === null) return `${what}: ohne Klasse${m.reason ? ` (${m.reason})` : ''}`;
  return `${what} ${cls} (z = ${formatNumber(z, 2)})`;
}

/** Both indices and the combined class in one line for the area panel. */
export function indexSummary(m: IndexMember): string {
  const parts = [indexText(m, 'status'), indexText(m, 'dynamik')];
  if (m.combinedClass) parts.push(`Gesamtindex ${m.combinedClass}`);
  return parts.join(' · ');
}

/** The map layer: area outlines filled by class, legend and hover from the same members. */
export function indexLayer(answer: IndexAnswer, aspect: IndexAspect): LayerResult {
  const byCode = new Map(answer.members.map((m) => [m.code, m]));
  return {
    fill: {
      tiles: `/tiles/areas/{z}/{x}/{y}.pbf?level=${encodeURIComponent(answer.level)}`,
      level: answer.level,
      revision: `index/${aspect}/${answer.period}`,
      colour: (code: string, _f: FeatureLike) => {
        const m = byCode.get(code);
        return indexColour(m ? indexCode(m, aspect) : null, aspect);
      },
    },
    legend: indexLegend(answer, aspect),
    hover: (code) => {
      const m = byCode.get(code);
      return m ? indexText(m, aspect) : null;
    },
  };
}
