import { describe, expect, it } from 'vitest';
import type { FeatureLike } from 'ol/Feature.js';
import {
  changeLayer,
  hotspotLayer,
  hotspotOverlay,
  indicatorLayer,
  typologyLayer,
  type HotspotRow,
} from '../../client/src/fill-rules.js';
import type { HotspotMember } from '../../client/src/hotspot-data.js';
import type { ChangeRow, Indicator, TypeInfo, Values } from '../../client/src/types.js';

/** A tile feature carrying the given properties (the fill rules only call get()). */
const feature = (props: Record<string, unknown> = {}): FeatureLike =>
  ({ get: (k: string) => props[k] }) as unknown as FeatureLike;
const NO_DATA = '#d9d9d9';

const indicator = (patch: Partial<Indicator> = {}): Indicator => ({
  key: 'S4',
  label: 'Kinderarmut',
  unit: '%',
  topic: 'Einkommen',
  polarity: 1,
  description: null,
  target: null,
  targetDirection: null,
  kind: 'rate',
  scale: 100,
  numerator: 'S4_num',
  denominator: 'S4_den',
  formula: null,
  weightIndicator: null,
  periods: ['2020-12-31'],
  ...patch,
});

const values = (rows: [string, number | null, boolean?][]): Values => ({
  indicator: 'S4',
  period: '2020-12-31',
  level: 'plr',
  unit: '%',
  polarity: 1,
  n: rows.length,
  min: 0,
  max: 0,
  mean: 0,
  sd: 0,
  quantiles: { p10: 0, p25: 0, p50: 0, p75: 0, p90: 0 },
  values: rows.map(([code, value, suppressed]) => ({
    code,
    name: `Gebiet ${code}`,
    value,
    suppressed: suppressed ?? false,
  })),
});

describe('indicatorLayer', () => {
  // Equal intervals over 1…10 in three classes: limits 1, 4, 7, 10 (closed at the top).
  const rows: [string, number | null, boolean?][] = [
    ['a', 1],
    ['b', 4],
    ['c', 4.5],
    ['d', 7],
    ['e', 10],
    ['f', null, true],
    ['g', null],
  ];
  const layer = indicatorLayer(indicator(), values(rows), 'plr', 'equal', 3);

  it('colours the classes light to dark (YlOrRd) for an indicator where more means more need', () => {
    expect(layer.fill.colour('a', feature())).toBe('#ffeda0');
    expect(layer.fill.colour('b', feature())).toBe('#ffeda0'); // on a limit: the lower class
    expect(layer.fill.colour('c', feature())).toBe('#feb24c');
    expect(layer.fill.colour('d', feature())).toBe('#feb24c');
    expect(layer.fill.colour('e', feature())).toBe('#f03b20');
  });

  it('reads the tile value first and the API row only when the tile has none', () => {
    expect(layer.fill.colour('a', feature({ value: 9 }))).toBe('#f03b20');
    expect(layer.fill.colour('e', feature({ value: null }))).toBe(NO_DATA); // tile says suppressed
  });

  it('paints suppressed, missing and unknown areas in the no-data grey', () => {
    expect(layer.fill.colour('f', feature())).toBe(NO_DATA);
    expect(layer.fill.colour('g', feature())).toBe(NO_DATA);
    expect(layer.fill.colour('zz', feature())).toBe(NO_DATA);
  });

  it('names the limits, counts and missing areas in the legend', () => {
    expect(layer.legend.title).toBe('Kinderarmut (%)');
    expect(layer.legend.subtitle).toBe('31.12.2020 · Gleiche Intervalle');
    expect(layer.legend.entries).toEqual([
      { colour: '#ffeda0', label: '1,0 bis 4,0 %', from: 1, to: 4, count: 2 },
      { colour: '#feb24c', label: 'über 4,0 bis 7,0 %', from: 4, to: 7, count: 2 },
      { colour: '#f03b20', label: 'über 7,0 bis 10,0 %', from: 7, to: 10, count: 1 },
    ]);
    expect(layer.legend.noData).toEqual({ colour: NO_DATA, label: 'keine Angabe (geheim oder fehlend): 2 Gebiete' });
    expect(layer.legend.note).toBe('Dunkler = höherer Handlungsbedarf');
  });

  it('points at the indicator tiles with the classification in the URL and revision', () => {
    expect(layer.fill.tiles).toBe('/tiles/indicator/S4/2020-12-31/{z}/{x}/{y}.pbf?level=plr&method=equal&classes=3');
    expect(layer.fill.revision).toBe('ind/S4/2020-12-31/equal/1,4,7,10');
    expect(layer.fill.level).toBe('plr');
  });

  it('reverses the scheme where more means less need, so darker still means more need', () => {
    const rev = indicatorLayer(indicator({ polarity: -1 }), values(rows), 'plr', 'equal', 3);
    expect(rev.fill.colour('a', feature())).toBe('#f03b20');
    expect(rev.fill.colour('e', feature())).toBe('#ffeda0');
    expect(rev.legend.note).toBe('Dunkler = höherer Handlungsbedarf');
  });

  it('has no incomplete mark and no legend entry for it when no sum is incomplete', () => {
    expect(layer.legend.incomplete).toBeUndefined();
    expect(layer.fill.incomplete?.('a', feature())).toBe(false);
  });

  it('counts estimated values in a legend line naming their source, and has none without them', () => {
    expect(layer.legend.estimated).toBeUndefined();
    const v = values([
      ['x', 37.7],
      ['y', 33.2],
      ['z', null, true],
      ['w', 12],
    ]);
    v.values[0] = { ...v.values[0], estimatedFrom: 'geschätzt aus Ebene z1km' };
    v.values[3] = { ...v.values[3], estimatedFrom: 'geschätzt aus Ebene z1km' };
    // A hidden value is not counted: it is not shown at all.
    v.values[2] = { ...v.values[2], estimatedFrom: 'geschätzt aus Ebene z1km' };
    expect(indicatorLayer(indicator(), v, 'plr', 'equal', 3).legend.estimated).toBe(
      '2 Werte geschätzt (aus Ebene z1km)',
    );
  });

  it('marks sums below the coverage threshold on the map and counts them in the legend', () => {
    // Bezirksregionen: 'x' summed from 5 of 6 Planungsräume (97 % of the residents) at a threshold of 99 %.
    const v = values([
      ['x', 37.7],
      ['y', 33.2],
      ['z', null, true],
      ['w', 12],
    ]);
    v.level = 'bzr';
    v.values[0] = { ...v.values[0], source: 'aggregated', coverage: 0.9738, incomplete: true };
    // A hidden value is not marked, whatever its coverage: it is not shown at all.
    v.values[2] = { ...v.values[2], suppressionReason: 'secondary', incomplete: true };
    const bzr = indicatorLayer(indicator(), v, 'bzr', 'equal', 3, 99);
    expect(bzr.legend.incomplete).toEqual({ label: 'unvollständig: unter 99 % der Einwohner erfasst', count: 1 });
    // API rows in GeoJSON mode, the tile's flag when tiles carry it.
    expect(bzr.fill.incomplete!('x', feature())).toBe(true);
    expect(bzr.fill.incomplete!('y', feature())).toBe(false);
    expect(bzr.fill.incomplete!('z', feature())).toBe(false);
    expect(bzr.fill.incomplete!('y', feature({ incomplete: true, value: 33.2 }))).toBe(true);
    expect(bzr.fill.incomplete!('x', feature({ incomplete: false, value: 37.7 }))).toBe(false);
    expect(bzr.fill.incomplete!('z', feature({ incomplete: true, value: null }))).toBe(false);
    // Without the settings the legend still names the mark.
    expect(indicatorLayer(indicator(), v, 'bzr', 'equal', 3).legend.incomplete).toEqual({
      label: 'unvollständig: nicht alle Teilgebiete erfasst',
      count: 1,
    });
    expect(indicatorLayer(indicator(), v, 'bzr', 'equal', 3, 92.5).legend.incomplete?.label).toBe(
      'unvollständig: unter 92,5 % der Einwohner erfasst',
    );
  });

  it('uses blues without a need note for an indicator without direction, and no no-data entry when nothing is missing', () => {
    const neutral = indicatorLayer(
      indicator({ polarity: 0, unit: 'EW', kind: 'count', label: 'Einwohner' }),
      values([
        ['a', 100],
        ['b', 200],
        ['c', 400],
      ]),
      'plr',
      'equal',
      3,
    );
    expect(neutral.legend.entries.map((e) => e.colour)).toEqual(['#deebf7', '#9ecae1', '#3182bd']);
    expect(neutral.legend.entries[0].label).toBe('100 bis 200 EW');
    expect(neutral.legend.note).toBeUndefined();
    expect(neutral.legend.noData).toBeUndefined();
  });
});

describe('typologyLayer', () => {
  const types: TypeInfo[] = [
    { type: 2, size: 7, label: 'Typ 2: überdurchschnittliche Belastung', description: '', profile: null },
    { type: 1, size: 9, label: '', description: '', profile: null },
    { type: 3, size: 4, label: 'Stark belastet', description: '', profile: null },
  ];
  const members = [
    { code: 'a', type: 1 },
    { code: 'b', type: 2 },
    { code: 'c', type: 3 },
    { code: 'd', type: 3 },
  ];
  const layer = typologyLayer('12', types, members, 'plr');
  // needPalette(3): light to dark; without needRank type 3 has the highest need.
  const [light, mid, dark] = ['#fcc3bf', '#dc3396', '#49006a'];

  it('colours types by need (sequential, type k darkest), tile type first, hatched grey where untyped', () => {
    expect(layer.fill.colour('a', feature())).toBe(light);
    expect(layer.fill.colour('b', feature())).toBe(mid);
    expect(layer.fill.colour('c', feature())).toBe(dark);
    expect(layer.fill.colour('a', feature({ type: 3 }))).toBe(dark);
    expect(layer.fill.colour('x', feature())).toBe('hatch:#bdbdbd');
  });

  it('lists the types in order with their member counts and a hatched no-data entry', () => {
    expect(layer.legend.title).toBe('Sozialraumtypen (Lauf 12)');
    expect(layer.legend.subtitle).toBe('dunkler = mehr Handlungsbedarf (Typ 3 am meisten)');
    expect(layer.legend.entries).toEqual([
      { colour: light, label: 'Typ 1', count: 1 },
      { colour: mid, label: 'Typ 2: überdurchschnittliche Belastung', count: 1 },
      { colour: dark, label: 'Stark belastet', count: 2 },
    ]);
    expect(layer.legend.noData).toEqual({
      colour: '#bdbdbd',
      label: 'nicht typisiert (fehlende Werte)',
      hatched: true,
    });
  });

  it('follows the needRank of a published run, and counselling shows plain names from the highest need down', () => {
    const published: TypeInfo[] = [
      {
        type: 1,
        size: 9,
        label: 'Typ 1',
        name: 'Viele Ältere, ruhige Wohngegend',
        needRank: 2,
        description: '',
        profile: null,
      },
      {
        type: 2,
        size: 7,
        label: 'Typ 2',
        name: 'Viele Kinder in Familien mit wenig Geld',
        needRank: 1,
        description: '',
        profile: null,
      },
      { type: 3, size: 4, label: 'Typ 3', name: 'Wenig Arbeitslosigkeit', needRank: 3, description: '', profile: null },
    ];
    const plain = typologyLayer('12', published, members, 'plr', undefined, true);
    expect(plain.fill.colour('b', feature())).toBe(dark);
    expect(plain.fill.colour('a', feature())).toBe(mid);
    expect(plain.fill.colour('c', feature())).toBe(light);
    expect(plain.legend.title).toBe('Art des Gebiets');
    expect(plain.legend.entries.map((e) => [e.label, e.colour, e.count])).toEqual([
      ['Viele Kinder in Familien mit wenig Geld', dark, 1],
      ['Viele Ältere, ruhige Wohngegend', mid, 1],
      ['Wenig Arbeitslosigkeit', light, 2],
    ]);
    expect(plain.legend.noData?.label).toBe('ohne Einordnung (zu wenige Angaben)');
    expect(plain.hover?.('b')).toBe('Viele Kinder in Familien mit wenig Geld');
    expect(plain.hover?.('x')).toBe('ohne Einordnung');
    // The research legend keeps the run number and names the types by their names too.
    const research = typologyLayer('12', published, members, 'plr');
    expect(research.legend.entries.map((e) => e.colour)).toEqual([mid, dark, light]);
  });

  it("takes the run's tiles for its chosen k and the ?k= tiles for another k", () => {
    expect(layer.fill.tiles).toBe('/tiles/typology/12/{z}/{x}/{y}.pbf');
    expect(layer.fill.revision).toBe('typ/12');
    const other = typologyLayer('12', types, members, 'plr', 3);
    expect(other.fill.tiles).toBe('/tiles/typology/12/{z}/{x}/{y}.pbf?k=3');
    expect(other.fill.revision).toBe('typ/12?k=3');
    expect(other.legend.title).toBe('Sozialraumtypen (Lauf 12, k = 3)');
  });
});

describe('hotspotLayer', () => {
  const rows: HotspotRow[] = [
    { code: 'a', class: 3, quadrant: 'HH' },
    { code: 'b', class: -2, quadrant: 'LL' },
    { code: 'c', class: 0, quadrant: null },
    { code: 'd', class: null, quadrant: null },
    { code: 'e', class: 1, quadrant: 'HL' },
  ];

  it('colours Gi* classes diverging, the tile class first, grey without neighbours or value', () => {
    const gi = hotspotLayer('7', rows, 'gi', 'plr', 'Kinderarmut');
    expect(gi.fill.colour('a', feature())).toBe('#b2182b');
    expect(gi.fill.colour('b', feature())).toBe('#67a9cf');
    expect(gi.fill.colour('c', feature())).toBe('#f7f7f7');
    expect(gi.fill.colour('d', feature())).toBe(NO_DATA);
    expect(gi.fill.colour('c', feature({ class: -3 }))).toBe('#2166ac');
    expect(gi.hover?.('a')).toBe('Hotspot, 99 % sicher');
    expect(gi.hover?.('d')).toBe('ohne Nachbarn oder ohne Wert');
    expect(gi.hover?.('x')).toBeNull();
  });

  it('lists the seven Gi* classes from hot to cold with counts', () => {
    const gi = hotspotLayer('7', rows, 'gi', 'plr', 'Kinderarmut');
    expect(gi.legend.title).toBe('Hot- und Coldspots (Gi*): Kinderarmut');
    expect(gi.legend.subtitle).toBe('Analyse 7');
    expect(gi.legend.entries.map((e) => [e.label, e.count])).toEqual([
      ['Hotspot, 99 % sicher', 1],
      ['Hotspot, 95 % sicher', 0],
      ['Hotspot, 90 % sicher', 1],
      ['nicht signifikant', 1],
      ['Kältepunkt, 90 % sicher', 0],
      ['Kältepunkt, 95 % sicher', 1],
      ['Kältepunkt, 99 % sicher', 0],
    ]);
    expect(gi.legend.noData).toEqual({ colour: NO_DATA, label: 'ohne Nachbarn oder ohne Wert' });
    expect(gi.fill.tiles).toBe('/tiles/hotspots/7/{z}/{x}/{y}.pbf');
    expect(gi.fill.revision).toBe('hot/7/gi');
  });

  it('colours LISA quadrants from the rows, never from the tile, light grey where not significant', () => {
    const lisa = hotspotLayer('7', rows, 'lisa', 'plr', 'Kinderarmut');
    expect(lisa.fill.colour('a', feature({ quadrant: 'LL' }))).toBe('#d7191c');
    expect(lisa.fill.colour('e', feature())).toBe('#fdae61');
    expect(lisa.fill.colour('c', feature({ quadrant: 'HH' }))).toBe('#eeeeee');
    expect(lisa.hover?.('b')).toBe('niedrig, umgeben von niedrig (LL)');
    expect(lisa.hover?.('c')).toBe('nicht signifikant');
    expect(lisa.legend.title).toBe('Lokale Cluster (LISA): Kinderarmut');
    expect(lisa.legend.entries.map((e) => [e.colour, e.count])).toEqual([
      ['#d7191c', 1],
      ['#2c7bb6', 1],
      ['#fdae61', 1],
      ['#abd9e9', 0],
    ]);
    expect(lisa.legend.noData).toEqual({ colour: '#eeeeee', label: 'nicht signifikant / ohne Wert' });
    expect(lisa.fill.revision).toBe('hot/7/lisa');
  });
});

describe('changeLayer', () => {
  const rows: ChangeRow[] = [
    { code: 'a', from: 10, to: 14, absolute: 4, relative: 0.4, comparable: true },
    { code: 'b', from: 10, to: 6, absolute: -4, relative: -0.4, comparable: true },
    { code: 'c', from: 10, to: 10.2, absolute: 0.2, relative: 0.02, comparable: true },
    { code: 'd', from: 10, to: 20, absolute: 10, relative: 1, comparable: false },
    { code: 'e', from: null, to: 12, absolute: null, relative: null, comparable: true },
  ];
  // Symmetric limits around 0 over |max| = 4 in three classes: −4, −1⅓, +1⅓, 4.
  const layer = changeLayer(indicator(), rows, 'plr', '2021-12-31', '2024-12-31', 3);

  it('colours a rise of need red and a fall blue, the middle class neutral', () => {
    expect(layer.fill.colour('a', feature())).toBe('#ef8a62');
    expect(layer.fill.colour('b', feature())).toBe('#67a9cf');
    expect(layer.fill.colour('c', feature())).toBe('#f7f7f7');
  });

  it('paints areas that are not comparable or have no value in the no-data grey', () => {
    expect(layer.fill.colour('d', feature())).toBe(NO_DATA);
    expect(layer.fill.colour('e', feature())).toBe(NO_DATA);
  });

  it('names the change in percentage points on hover', () => {
    expect(layer.hover?.('a')).toBe('+4,0 Prozentpunkte');
    expect(layer.hover?.('b')).toBe('−4,0 Prozentpunkte');
    expect(layer.hover?.('d')).toBe('nicht vergleichbar');
    expect(layer.hover?.('e')).toBe('ohne Wert');
    expect(layer.hover?.('x')).toBeNull();
  });

  it('explains the periods, classes and colours in the legend', () => {
    expect(layer.legend.title).toBe('Veränderung Kinderarmut');
    expect(layer.legend.subtitle).toBe('31.12.2021 → 31.12.2024');
    expect(layer.legend.entries.map((e) => [e.colour, e.label, e.count])).toEqual([
      ['#67a9cf', '−4,0 bis −1,3 Prozentpunkte', 1],
      ['#f7f7f7', 'über −1,3 bis 1,3 Prozentpunkte', 1],
      ['#ef8a62', 'über 1,3 bis 4,0 Prozentpunkte', 1],
    ]);
    expect(layer.legend.noData).toEqual({ colour: NO_DATA, label: 'nicht vergleichbar oder ohne Wert' });
    expect(layer.legend.note).toBe('Rot = Zunahme des Handlungsbedarfs');
    expect(layer.fill.tiles).toBe('/tiles/areas/{z}/{x}/{y}.pbf?level=plr');
  });

  it('flips the colours where a fall means more need', () => {
    const rev = changeLayer(indicator({ polarity: -1 }), rows, 'plr', '2021-12-31', '2024-12-31', 3);
    expect(rev.fill.colour('a', feature())).toBe('#67a9cf');
    expect(rev.fill.colour('b', feature())).toBe('#ef8a62');
    expect(rev.legend.note).toBe('Rot = Abnahme (Verschlechterung)');
  });
});

describe('hotspotOverlay', () => {
  const members: HotspotMember[] = [
    { code: 'a', class: 3, quadrant: 'HH', lisaPAdjusted: 0.001 },
    { code: 'b', class: 1, quadrant: 'LL', lisaPAdjusted: 0.2 },
    { code: 'c', class: -2, quadrant: null, lisaPAdjusted: null },
    { code: 'd', class: 0, quadrant: null, lisaPAdjusted: null },
  ];
  const run = { id: '7', indicatorLabel: 'Kinderarmut', period: '2020-12-31' };

  it('hatches only the areas at or above the confidence and names them on hover', () => {
    const ov = hotspotOverlay(run, members, 'plr', 'gi', 95);
    expect(ov.hover('a')).toBe('Hotspot, mind. 95 % sicher');
    expect(ov.hover('b')).toBeNull();
    expect(ov.hover('c')).toBe('Kältepunkt, mind. 95 % sicher');
    expect(ov.hover('d')).toBeNull();
    expect(ov.legend.entries.map((e) => [e.pattern, e.count])).toEqual([
      ['up', 1],
      ['down', 1],
    ]);
    expect(ov.spec.tiles).toBe('/tiles/hotspots/7/{z}/{x}/{y}.pbf');
    expect(ov.spec.revision).toBe('hot-overlay/7/gi/95');
    expect(ov.spec.style('d', feature())).toBeNull();
  });

  it('defaults to Gi* from 90 %', () => {
    const ov = hotspotOverlay(run, members, 'plr');
    expect(ov.spec.revision).toBe('hot-overlay/7/gi/90');
    expect(ov.hover('b')).toBe('Hotspot, mind. 90 % sicher');
  });
});
