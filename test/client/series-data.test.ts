import { describe, expect, it } from 'vitest';
import { periodDate, seriesExtent, seriesPanels, tickDecimals } from '../../client/src/series-data.js';
import type { AreaIndicator } from '../../client/src/types.js';

function ind(key: string, series: [string, number | null][], unit: string | null = '%'): AreaIndicator {
  const last = series[series.length - 1];
  return {
    key,
    label: `Indikator ${key}`,
    unit,
    polarity: 1,
    value: last?.[1] ?? null,
    suppressed: false,
    parentValue: null,
    regionValue: null,
    rank: null,
    n: null,
    period: last?.[0] ?? '2024-12-31',
    series: series.map(([period, value]) => ({ period, value })),
  };
}

// The shape of Stülerstraße at 31.12.2024: register indicators with 3–4 periods, MSS ones with one.
const AREA = [
  ind(
    'EW',
    [
      ['2020-12-31', 3419],
      ['2021-12-31', 3406],
      ['2022-06-30', 3503],
      ['2024-12-31', 3580],
    ],
    'Personen',
  ),
  ind('EW_U18', [
    ['2021-12-31', 10.7],
    ['2022-06-30', 11.0],
    ['2024-12-31', 11.6],
  ]),
  ind('EW_65', [
    ['2021-12-31', 21.0],
    ['2022-06-30', 20.4],
    ['2024-12-31', 20.0],
  ]),
  ind('S1', [['2020-12-31', 4.2]]),
  ind('S4', [['2020-12-31', 19.4]]),
  ind('KI_05', [
    ['2020-12-31', 59.9],
    ['2021-12-31', 61.7],
    ['2024-12-31', 67.2],
  ]),
  ind('KI_16', [
    ['2020-12-31', 40.6],
    ['2021-12-31', 41.6],
    ['2022-06-30', 43.1],
    ['2024-12-31', 44.2],
  ]),
];

describe('time series small multiples', () => {
  it('keeps indicators with at least two periods, the selected one first, the rest in profile order', () => {
    const panels = seriesPanels(AREA, 'EW_65');
    expect(panels.map((p) => p.key)).toEqual(['EW_65', 'EW', 'EW_U18', 'KI_05', 'KI_16']);
    expect(panels.map((p) => p.current)).toEqual([true, false, false, false, false]);
    expect(panels.find((p) => p.key === 'EW')?.points.map((p) => p.value)).toEqual([3419, 3406, 3503, 3580]);
    expect(panels[1].unit).toBe('Personen');
  });
  it('keeps the profile order when the selection has no series', () => {
    expect(seriesPanels(AREA, 'S4').map((p) => p.key)).toEqual(['EW', 'EW_U18', 'EW_65', 'KI_05', 'KI_16']);
  });
  it('counts only non-null values and sorts the points by date', () => {
    const panels = seriesPanels(
      [
        ind('A', [
          ['2024-12-31', 2],
          ['2021-12-31', null],
          ['2020-12-31', 1],
        ]),
        ind('B', [
          ['2020-12-31', 1],
          ['2021-12-31', null],
        ]),
        ind('C', []),
      ],
      '',
    );
    expect(panels.map((p) => p.key)).toEqual(['A']);
    expect(panels[0].points.map((p) => p.period)).toEqual(['2020-12-31', '2024-12-31']);
  });
  it('gives the common time span of all panels', () => {
    const ext = seriesExtent(seriesPanels(AREA, ''));
    expect(ext?.map((d) => d.toISOString().slice(0, 10))).toEqual(['2020-12-31', '2024-12-31']);
    expect(seriesExtent([])).toBeNull();
    expect(periodDate('2022-06-30').toISOString()).toBe('2022-06-30T00:00:00.000Z');
  });
  it('chooses tick decimals so that neighbouring ticks differ', () => {
    expect(tickDecimals([21.0, 20.4, 20.0])).toBe(1);
    expect(tickDecimals([3419, 3406, 3503, 3580])).toBe(0);
    expect(tickDecimals([0.12, 0.15])).toBe(2);
    expect(tickDecimals([5, 5])).toBe(0);
    expect(tickDecimals([])).toBe(0);
  });
});
