import { describe, expect, it } from 'vitest';
import { periodFor, changePeriods } from '../../client/src/periods.js';

// The Berlin sample: MSS indicators at one date, register indicators at three later ones.
const MSS = ['2020-12-31'];
const REGISTER = ['2021-12-31', '2022-06-30', '2024-12-31'];
const EW = ['2020-12-31', ...REGISTER];

describe('periodFor', () => {
  it('keeps the current period while the indicator has values there', () => {
    expect(periodFor('2022-06-30', EW, '2020-12-31')).toBe('2022-06-30');
    expect(periodFor('2020-12-31', MSS, '2020-12-31')).toBe('2020-12-31');
  });
  it("moves to the indicator's latest period when it has none at the current one", () => {
    expect(periodFor('2020-12-31', REGISTER, '2020-12-31')).toBe('2024-12-31');
  });
  it("goes back to the level's default period when the indicator has it", () => {
    expect(periodFor('2024-12-31', MSS, '2020-12-31')).toBe('2020-12-31');
  });
  it("takes the indicator's latest when neither the current nor the default period fits", () => {
    expect(periodFor('1999-12-31', ['2001-12-31', '2003-12-31'], '2000-12-31')).toBe('2003-12-31');
  });
  it("starts from the level's default without a current period", () => {
    expect(periodFor('', EW, '2020-12-31')).toBe('2020-12-31');
    expect(periodFor('', undefined, '2020-12-31')).toBe('2020-12-31');
    expect(periodFor('', [], null)).toBe('');
  });
  it('does not change the lists it is given', () => {
    const list = [...REGISTER];
    periodFor('2020-12-31', list, '2020-12-31');
    expect(list).toEqual(REGISTER);
  });
});

describe('changePeriods', () => {
  it('keeps two chosen periods the indicator has', () => {
    expect(changePeriods('2021-12-31', '2022-06-30', EW)).toEqual({ from: '2021-12-31', to: '2022-06-30' });
  });
  it("falls back to the indicator's longest span when a chosen period is missing or both are equal", () => {
    expect(changePeriods('2020-12-31', '2024-12-31', REGISTER)).toEqual({ from: '2021-12-31', to: '2024-12-31' });
    expect(changePeriods('', '', EW)).toEqual({ from: '2020-12-31', to: '2024-12-31' });
    expect(changePeriods('2024-12-31', '2024-12-31', EW)).toEqual({ from: '2020-12-31', to: '2024-12-31' });
  });
  it('gives nothing for an indicator with one period', () => {
    expect(changePeriods('2020-12-31', '2024-12-31', MSS)).toBeNull();
  });
});
