import { describe, expect, it } from 'vitest';
import { areasCount, classLegendEntries } from '../../client/src/legend.js';

describe('legend text', () => {
  it('labels classes with German limits and unit, last class closed', () => {
    const e = classLegendEntries([1.234, 2.5, 10], ['#a', '#b'], '%', 1, [3, 4]);
    expect(e.map((x) => x.label)).toEqual(['1,2 bis 2,5 %', 'über 2,5 bis 10,0 %']);
    expect(e[1]).toMatchObject({ colour: '#b', from: 2.5, to: 10, count: 4 });
  });
  it('works without unit', () => {
    expect(classLegendEntries([0, 1], ['#a'], null, 0)[0].label).toBe('0 bis 1');
  });
  it('counts areas in German', () => {
    expect(areasCount(1)).toBe('1 Gebiet');
    expect(areasCount(1234)).toBe('1.234 Gebiete');
  });
});
