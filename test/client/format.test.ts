import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  formatPeriod,
  formatRank,
  formatShare,
  formatSigned,
  formatValue,
  MISSING,
} from '../../client/src/format.js';

describe('de-DE formatting', () => {
  it('uses the decimal comma and dot grouping', () => {
    expect(formatNumber(1234567.891, 2)).toBe('1.234.567,89');
    expect(formatNumber(19.39799)).toBe('19,4');
    expect(formatNumber(3419, 0)).toBe('3.419');
  });
  it('shows a dash for missing values, never NaN', () => {
    expect(formatNumber(null)).toBe(MISSING);
    expect(formatNumber(NaN)).toBe(MISSING);
    expect(formatValue(undefined, '%')).toBe(MISSING);
  });
  it('does not print minus zero and uses the typographic minus', () => {
    expect(formatNumber(-0.01)).toBe('0,0');
    expect(formatNumber(-1.26)).toBe('−1,3');
  });
  it('appends units with a space', () => {
    expect(formatValue(4.22594, '%')).toBe('4,2 %');
    expect(formatValue(3419, 'EW', 'count')).toBe('3.419 EW');
  });
  it('signs changes', () => {
    expect(formatSigned(1.84)).toBe('+1,8');
    expect(formatSigned(-0.9)).toBe('−0,9');
    expect(formatSigned(0.01)).toBe('0,0');
  });
  it('formats shares, periods and ranks', () => {
    expect(formatShare(0.4321)).toBe('43 %');
    expect(formatPeriod('2020-12-31')).toBe('31.12.2020');
    expect(formatRank(12, 536)).toBe('12. von 536');
  });
});
