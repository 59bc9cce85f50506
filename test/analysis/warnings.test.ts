import { describe, it, expect } from 'vitest';
import {
  threshold,
  targetMissed,
  targetMet,
  worseningTrend,
  hotspotMember,
  indexClassMatch,
  describeWarning,
  isRuleType,
  type WarningRule,
} from '../../analysis/warnings.js';

const series = (vals: (number | null)[]) => vals.map((value, i) => ({ period: `${2018 + i}-12-31`, value }));

describe('warning rules', () => {
  it('threshold above/below, strict unless inclusive', () => {
    expect(threshold({ indicator: 'S1', op: 'above', value: 10 }, 12)).toEqual({
      indicator: 'S1',
      value: 12,
      threshold: 10,
      op: 'above',
    });
    expect(threshold({ indicator: 'S1', op: 'above', value: 10 }, 10)).toBeNull();
    expect(threshold({ indicator: 'S1', op: 'above', value: 10, inclusive: true }, 10)).not.toBeNull();
    expect(threshold({ indicator: 'S1', op: 'below', value: 10 }, 9.99)?.value).toBe(9.99);
    expect(threshold({ indicator: 'S1', op: 'below', value: 10 }, null)).toBeNull();
  });
  it('target missed in its direction; meeting it exactly is met', () => {
    expect(targetMissed('S4', 20, 'max', 25)).toEqual({
      indicator: 'S4',
      value: 25,
      target: 20,
      direction: 'max',
      gap: 5,
    });
    expect(targetMissed('S4', 20, 'max', 20)).toBeNull();
    expect(targetMissed('Q', 80, 'min', 75)?.gap).toBe(-5);
    expect(targetMissed('Q', null, null, 75)).toBeNull();
    expect(targetMet(20, 'max', 20)).toBe(true);
    expect(targetMet(80, 'min', 75)).toBe(false);
    expect(targetMet(null, null, 1)).toBeNull();
  });
  it('worsening trend needs n consecutive worsening steps without gaps', () => {
    const e = worseningTrend({ indicator: 'S1', periods: 2 }, 1, series([5, 4, 4.5, 6]));
    expect(e?.steps).toEqual([0.5, 1.5]);
    expect(e?.totalChange).toBe(2); // 4 → 6
    expect(e?.periods).toEqual(['2019-12-31', '2020-12-31', '2021-12-31']);
    expect(worseningTrend({ indicator: 'S1', periods: 3 }, 1, series([5, 4, 4.5, 6]))).toBeNull();
    expect(worseningTrend({ indicator: 'G', periods: 2 }, -1, series([9, 8, 7]))?.steps).toEqual([-1, -1]);
    expect(worseningTrend({ indicator: 'S1', periods: 2 }, 1, series([1, null, 3]))).toBeNull();
    expect(worseningTrend({ indicator: 'S1', periods: 2, minStep: 0.6 }, 1, series([1, 1.5, 3]))).toBeNull();
    expect(worseningTrend({ indicator: 'S1', periods: 2 }, 1, series([1, 2]))).toBeNull();
  });
  it('hotspot membership at or above the minimum class', () => {
    expect(hotspotMember({}, 7, 2)).toEqual({ runId: 7, class: 2, minClass: 1 });
    expect(hotspotMember({}, 7, 0)).toBeNull();
    expect(hotspotMember({}, 7, -3)).toBeNull();
    expect(hotspotMember({ minClass: 3 }, 7, 2)).toBeNull();
    expect(hotspotMember({}, 7, null)).toBeNull();
  });
  it('index class: status AND dynamics must both match', () => {
    const p = { status: ['sehr niedrig'], dynamics: ['negativ'] };
    expect(indexClassMatch(p, 'sehr niedrig', 'negativ', 3.28, 1.46)).toEqual({
      statusClass: 'sehr niedrig',
      dynamicsClass: 'negativ',
      statusZ: 3.28,
      dynamicsZ: 1.46,
    });
    expect(indexClassMatch(p, 'sehr niedrig', 'stabil', 3.28, 0.2)).toBeNull();
    expect(indexClassMatch({ status: ['niedrig', 'sehr niedrig'] }, 'niedrig', null, 1.2, null)?.statusClass).toBe(
      'niedrig',
    );
    expect(indexClassMatch(p, null, null, null, null)).toBeNull();
  });
  it('knows its rule types and writes German sentences', () => {
    expect(isRuleType('trend')).toBe(true);
    expect(isRuleType('magic')).toBe(false);
    const rule: WarningRule = {
      id: 1,
      name: 'x',
      type: 'threshold',
      level: null,
      severity: 'warnung',
      enabled: true,
      params: { indicator: 'S1', op: 'above', value: 10 },
    };
    expect(describeWarning(rule, { indicator: 'S1', value: 12.5, threshold: 10, op: 'above' })).toBe(
      'S1 = 12,5 liegt über dem Schwellenwert 10',
    );
  });
});
