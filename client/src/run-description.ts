/**
 * A typology run's parameters and standardisation as one short German line, for the history
 * table and the result panel. Pure.
 */
import { formatPeriod } from './format.js';
import type { RunSummary, TypologyParams } from './types.js';

/** "31.12.2020; S1, S3; z; k = 2…10; Startwert 1; ohne HK" (plus " varimax" when rotated). */
export function describeParams(p: TypologyParams | undefined, summary?: RunSummary): string {
  // The history list may carry the indicators at the top level instead of full params.
  if (!p && summary)
    p = {
      indicators: (summary as unknown as { indicators?: string[] }).indicators ?? [],
      period: summary.period,
    } as TypologyParams;
  if (!p) return '';
  const pca =
    p.pca === undefined ? '' : p.pca === 'none' ? '; ohne HK' : p.pca === 'kaiser' ? '; HK Kaiser' : `; ${p.pca} HK`;
  const parts = [formatPeriod(p.period), (p.indicators ?? []).join(', ')];
  if (p.standardize) parts.push(p.standardize);
  if (p.k) parts.push(`k = ${p.k}`);
  else if (p.kRange) parts.push(`k = ${p.kRange[0]}…${p.kRange[1]}`);
  if (p.seed !== undefined) parts.push(`Startwert ${p.seed}`);
  return parts.join('; ') + pca + (p.rotation === 'varimax' ? ' varimax' : '');
}

/** The server says which standardisation it used (e.g. population sd, ddof 0): show its own note. */
export function standardizationText(st: unknown): string {
  if (typeof st === 'string') return st;
  const o = st as { note?: string; method?: string };
  return o.note ?? o.method ?? '';
}
