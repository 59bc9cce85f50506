/**
 * The one de-DE number formatter of client, reports, CLI and analysis texts: decimal comma, dot
 * grouping, typographic minus, no "−0", the en dash for missing values, and rounding on the
 * decimal form a reader sees (2.675 → 2,68, where toFixed would give 2,67).
 */
import { describe, expect, it } from 'vitest';
import { formatDecimal, formatShare, formatSigned, formatUpTo, MINUS, MISSING } from '../../analysis/number-format.js';

describe('formatDecimal', () => {
  it('uses the decimal comma, dot grouping and a fixed number of decimals (default 1)', () => {
    expect(formatDecimal(1234567.891, 2)).toBe('1.234.567,89');
    expect(formatDecimal(19.39799)).toBe('19,4');
    expect(formatDecimal(3419, 0)).toBe('3.419');
    expect(formatDecimal(0.5, 3)).toBe('0,500');
  });
  it('prints negatives with U+2212 and never "−0"', () => {
    expect(MINUS).toBe('\u2212');
    expect(formatDecimal(-1.26)).toBe('\u22121,3');
    expect(formatDecimal(-12345.678, 2)).toBe('\u221212.345,68');
    expect(formatDecimal(-0.01)).toBe('0,0');
    expect(formatDecimal(-0, 2)).toBe('0,00');
  });
  it('rounds half away from zero on the decimal form', () => {
    expect(formatDecimal(2.675, 2)).toBe('2,68');
    expect(formatDecimal(1.005, 2)).toBe('1,01');
    expect(formatDecimal(-2.675, 2)).toBe('\u22122,68');
    expect(formatDecimal(0.125, 2)).toBe('0,13');
  });
  it('shows the en dash for missing and non-finite values', () => {
    expect(MISSING).toBe('–');
    for (const v of [null, undefined, NaN, Infinity, -Infinity]) expect(formatDecimal(v)).toBe('–');
  });
});

describe('formatUpTo', () => {
  it('drops trailing zeros up to the given decimals (default 2)', () => {
    expect(formatUpTo(3.1)).toBe('3,1');
    expect(formatUpTo(12)).toBe('12');
    expect(formatUpTo(0.7561, 3)).toBe('0,756');
    expect(formatUpTo(136.4, 0)).toBe('136');
    expect(formatUpTo(-1234.5)).toBe('\u22121.234,5');
    expect(formatUpTo(null)).toBe('–');
  });
});

describe('formatSigned', () => {
  it('signs changes and leaves a value that rounds to zero unsigned', () => {
    expect(formatSigned(1.84)).toBe('+1,8');
    expect(formatSigned(-0.9)).toBe('\u22120,9');
    expect(formatSigned(0.01)).toBe('0,0');
    expect(formatSigned(-0.004, 2)).toBe('0,00');
    expect(formatSigned(1.25, 2)).toBe('+1,25');
    expect(formatSigned(2500, 0)).toBe('+2.500');
    expect(formatSigned(undefined)).toBe('–');
  });
});

describe('formatShare', () => {
  it('prints a 0..1 share as percent with a space before the sign', () => {
    expect(formatShare(0.4321)).toBe('43 %');
    expect(formatShare(0.4321, 1)).toBe('43,2 %');
    expect(formatShare(-0.05)).toBe('\u22125 %');
    expect(formatShare(NaN)).toBe('–');
  });
});
