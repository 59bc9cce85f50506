/**
 * MSS 2021 reproduction: the status and dynamics index computed with analysis/status-index.ts
 * from the published indicator values must give the official classes SI_N and DI_N for all
 * 536 valid Planungsräume and the official z-values within 0.005 (their 2-decimal rounding).
 *
 * Two sources:
 * - the shipped sample (geodata/sample/berlin/mss_2021.csv, always present) with a handful of
 *   official values hard-coded below (golden areas, chosen at the ±1.00 boundaries);
 * - the official tables, vendored trimmed to the columns used here
 *   (test/fixtures/reference/mss-2021, see its README for source and attribution).
 */
import { beforeAll, describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  compositeIndex,
  classify,
  statusClass,
  dynamicsClass,
  combinedClass,
  zOverValid,
  TooFewAreasError,
  ConstantIndicatorError,
  STATUS_LABELS,
  DYNAMICS_LABELS,
} from '../../analysis/status-index.js';
import { referencePath, REFERENCE_FILES } from '../fixtures/reference/reference.js';

const SAMPLE = fileURLToPath(new URL('../../geodata/sample/berlin/mss_2021.csv', import.meta.url));

/** Minimal CSV reader for these files: quoted fields may hold the delimiter; BOM stripped. */
function readCsv(file: string, delimiter: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (const ch of line) {
      if (ch === '"') q = !q;
      else if (ch === delimiter && !q) {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out.map((s) => s.trim());
  };
  const head = split(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = split(l);
    return Object.fromEntries(head.map((h, i) => [h, cells[i] ?? '']));
  });
}

const num = (s: string) => (s === '' || s === '-9999' ? NaN : Number(s.replace(',', '.')));

function computeIndex(rows: Record<string, string>[], isValid: (r: Record<string, string>) => boolean) {
  const valid = rows.map(isValid);
  const col = (k: string) => Float64Array.from(rows, (r) => num(r[k]));
  const st = compositeIndex([col('S1'), col('S3'), col('S4')], valid);
  const dy = compositeIndex([col('D1'), col('D3'), col('D4')], valid);
  return { st, dy, members: classify(st.index, dy.index), valid };
}
type IndexRun = ReturnType<typeof computeIndex>;

// Official MSS 2021 values (table 3 and WFS s_Indizes_MSS2021_homogen), copied by hand.
// Chosen so that four of them sit at the ±1.00 boundary where rounding would mislead.
const GOLDEN = [
  {
    code: '01100101',
    zS1: -0.25,
    zS3: -0.41,
    zS4: -0.31,
    ssum: -0.97,
    si: -0.33,
    SI_N: 2,
    zD1: 0.41,
    zD3: 0.91,
    zD4: 1.31,
    di: 1.27,
    DI_N: 5,
  },
  {
    code: '04200310',
    zS1: -0.53,
    zS3: -0.69,
    zS4: -0.67,
    ssum: -1.89,
    si: -0.64,
    SI_N: 2,
    zD1: 0.33,
    zD3: 0.94,
    zD4: 0.82,
    di: 1.0,
    DI_N: 5,
  },
  {
    code: '04300414',
    zS1: -0.49,
    zS3: -0.49,
    zS4: -0.67,
    ssum: -1.65,
    si: -0.56,
    SI_N: 2,
    zD1: -0.57,
    zD3: -0.57,
    zD4: -0.95,
    di: -1.0,
    DI_N: 1,
  },
  {
    code: '08100520',
    zS1: 3.75,
    zS3: 3.37,
    zS4: 2.58,
    ssum: 9.7,
    si: 3.28,
    SI_N: 4,
    zD1: 4.71,
    zD3: -2.1,
    zD4: 0.43,
    di: 1.46,
    DI_N: 5,
  },
  {
    code: '09501838',
    zS1: -0.94,
    zS3: -1.04,
    zS4: -1.0,
    ssum: -2.97,
    si: -1.0,
    SI_N: 1,
    zD1: -0.4,
    zD3: 0.97,
    zD4: 0.88,
    di: 0.7,
    DI_N: 3,
  },
  {
    code: '12500825',
    zS1: 0.01,
    zS3: -0.12,
    zS4: -0.02,
    ssum: -0.13,
    si: -0.04,
    SI_N: 2,
    zD1: -0.29,
    zD3: -0.33,
    zD4: -1.45,
    di: -1.0,
    DI_N: 3,
  },
];
/**
 * The tables print 2 decimals, so a correct value is within 0.005 of them. The inputs are
 * themselves published with 5 decimals, which can move a value sitting exactly on a rounding
 * edge by ~1e-5 (seen: 0.4949989 printed as 0.50): hence the extra 1e-5.
 */
const TOL = 0.005 + 1e-5;

describe('MSS class rules at the boundaries (handbook: −1 SD ≤ mittel ≤ +1 SD, niedrig ≤ +1.5 SD)', () => {
  it('puts exactly ±1 and +1.5 in the middle class, anything beyond in the outer class', () => {
    expect(statusClass(-1)).toBe(2);
    expect(statusClass(-1.0000001)).toBe(1);
    expect(statusClass(1)).toBe(2);
    expect(statusClass(1.0000001)).toBe(3);
    expect(statusClass(1.5)).toBe(3);
    expect(statusClass(1.5000001)).toBe(4);
    expect(dynamicsClass(-1)).toBe(3);
    expect(dynamicsClass(1)).toBe(3);
    expect(dynamicsClass(1.0027935969888468)).toBe(5); // 04200310, printed as 1.00 "negativ"
    expect(dynamicsClass(-1.003203396634215)).toBe(1); // 04300414, printed as -1.00 "positiv"
    expect(statusClass(NaN)).toBeNull();
  });
  it('uses configurable cut-offs', () => {
    expect(statusClass(1.2, { high: -0.5, low: 0.5, veryLow: 1 })).toBe(4);
    expect(dynamicsClass(0.6, { positive: -0.5, negative: 0.5 })).toBe(5);
  });
  it('names the 12 combined groups like the official SDI/SDI_N', () => {
    expect(combinedClass(2, 5)).toEqual({ code: 25, symbol: '2-', label: 'Status mittel, Dynamik negativ' });
    expect(combinedClass(1, 3)?.symbol).toBe('1+/-');
    expect(combinedClass(4, 1)?.code).toBe(41);
    expect(combinedClass(null, 1)).toBeNull();
    expect(Object.values(STATUS_LABELS)).toEqual(['hoch', 'mittel', 'niedrig', 'sehr niedrig']);
    expect(Object.values(DYNAMICS_LABELS)).toEqual(['positiv', 'stabil', 'negativ']);
  });
});

describe('z over valid areas', () => {
  it('uses the population sd and leaves invalid areas out', () => {
    const r = zOverValid([1, 2, 3, 100], [1, 1, 1, 0]);
    expect(r.mean).toBe(2);
    expect(r.sd).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(r.z[0]).toBeCloseTo(-1.224744871391589, 12);
    expect(Number.isNaN(r.z[3])).toBe(true);
  });
  it('refuses fewer than 3 valid areas and constant indicators', () => {
    expect(() => compositeIndex([[1, 2, 3]], [1, 1, 0])).toThrow(TooFewAreasError);
    expect(() =>
      compositeIndex(
        [
          [1, 1, 1],
          [1, 2, 3],
        ],
        [1, 1, 1],
      ),
    ).toThrow(ConstantIndicatorError);
  });
  it('flips indicators of polarity −1 so that a higher index means more need', () => {
    const a = compositeIndex([[1, 2, 3, 4]], [1, 1, 1, 1], [1]);
    const b = compositeIndex([[4, 3, 2, 1]], [1, 1, 1, 1], [-1]);
    expect(Array.from(b.index)).toEqual(Array.from(a.index));
  });
  it('leaves an area out when one of its indicators is missing', () => {
    const r = compositeIndex(
      [
        [1, 2, 3, 4],
        [2, NaN, 5, 1],
      ],
      [1, 1, 1, 1],
    );
    expect(r.validCount).toBe(3);
    expect(Number.isNaN(r.index[1])).toBe(true);
  });
});

describe('MSS 2021 golden areas from the shipped sample (KOM = 0)', () => {
  let rows: Record<string, string>[];
  let st: IndexRun['st'];
  let dy: IndexRun['dy'];
  let members: IndexRun['members'];
  let valid: IndexRun['valid'];
  let at: Map<string, number>;
  beforeAll(() => {
    rows = readCsv(SAMPLE, ';');
    ({ st, dy, members, valid } = computeIndex(rows, (r) => r.KOM === '0'));
    at = new Map(rows.map((r, i) => [r.PLR_ID, i]));
  });
  it('has 542 areas of which 536 are valid', () => {
    expect(rows.length).toBe(542);
    expect(valid.filter(Boolean).length).toBe(536);
    expect(st.validCount).toBe(536);
  });
  it.each(GOLDEN)('$code reproduces the official z-values and classes', (g) => {
    const i = at.get(g.code)!;
    expect(Math.abs(st.z[0][i] - g.zS1)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(st.z[1][i] - g.zS3)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(st.z[2][i] - g.zS4)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(st.sum[i] - g.ssum)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(st.index[i] - g.si)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(dy.z[0][i] - g.zD1)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(dy.z[1][i] - g.zD3)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(dy.z[2][i] - g.zD4)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(dy.index[i] - g.di)).toBeLessThanOrEqual(TOL);
    expect(members[i].statusClass).toBe(g.SI_N);
    expect(members[i].dynamicsClass).toBe(g.DI_N);
  });
  it('matches the class counts published in the MSS 2021 (75/366/46/49 and 48/436/52)', () => {
    const count = (f: (m: (typeof members)[number]) => unknown, v: unknown) => members.filter((m) => f(m) === v).length;
    expect([1, 2, 3, 4].map((c) => count((m) => m.statusClass, c))).toEqual([75, 366, 46, 49]);
    expect([1, 3, 5].map((c) => count((m) => m.dynamicsClass, c))).toEqual([48, 436, 52]);
    expect(count((m) => m.combinedClass, 45)).toBe(10); // "sehr niedrig, negativ": the default warning rule
  });
  it('the sample SI_N/DI_N columns equal the computed classes for all 536 valid areas', () => {
    let checked = 0;
    rows.forEach((r, i) => {
      if (!valid[i]) return;
      expect(members[i].statusClass, r.PLR_ID).toBe(Number(r.SI_N));
      expect(members[i].dynamicsClass, r.PLR_ID).toBe(Number(r.DI_N));
      checked++;
    });
    expect(checked).toBe(536);
  });
});

describe('MSS 2021 against the official tables (vendored in test/fixtures/reference/mss-2021)', () => {
  let raw: Record<string, string>[];
  let official: Map<string, Record<string, string>>;
  let zTable: Map<string, Record<string, string>>;
  let st: IndexRun['st'];
  let dy: IndexRun['dy'];
  let members: IndexRun['members'];
  let valid: IndexRun['valid'];
  beforeAll(() => {
    raw = readCsv(referencePath(REFERENCE_FILES.mssIndicators), ',');
    official = new Map(readCsv(referencePath(REFERENCE_FILES.mssIndices), ',').map((r) => [r.PLR_ID, r]));
    zTable = new Map(readCsv(referencePath(REFERENCE_FILES.mssZValues), ';').map((r) => [r['PLR-ID'], r]));
    ({ st, dy, members, valid } = computeIndex(raw, (r) => r.KOM === 'gültig'));
  });

  it('reproduces SI_N and DI_N for all 536 valid areas', () => {
    let n = 0;
    const wrong: string[] = [];
    raw.forEach((r, i) => {
      if (!valid[i]) return;
      n++;
      const o = official.get(r.PLR_ID)!;
      if (members[i].statusClass !== Number(o.SI_N) || members[i].dynamicsClass !== Number(o.DI_N))
        wrong.push(r.PLR_ID);
      expect(members[i].combinedClass).toBe(Number(o.SDI_N));
    });
    expect(n).toBe(536);
    expect(wrong).toEqual([]);
  });
  it('reproduces the official z-values, sums and indices within 0.005', () => {
    const columns: [string, Float64Array][] = [
      ['zS1', st.z[0]],
      ['zS3', st.z[1]],
      ['zS4', st.z[2]],
      ['Status-summe', st.sum],
      ['Status-Index (standardisierte Statussumme)', st.index],
      ['zD1', dy.z[0]],
      ['zD3', dy.z[1]],
      ['zD4', dy.z[2]],
      ['Dynamik-summe', dy.sum],
      ['Dynamik-Index (standardisierte Dynamik-summe)', dy.index],
    ];
    const maxDiff: Record<string, number> = {};
    for (const [name, values] of columns) {
      let worst = 0;
      raw.forEach((r, i) => {
        if (!valid[i]) return;
        worst = Math.max(worst, Math.abs(values[i] - num(zTable.get(r.PLR_ID)![name])));
      });
      maxDiff[name] = worst;
      expect(worst, name).toBeLessThanOrEqual(TOL);
    }
    // Rounding to 2 decimals leaves at most 0.005; anything near 0 would mean the table is not rounded.
    expect(maxDiff.zS1).toBeGreaterThan(0.004);
  });
  it('would misclassify three areas if the rounded index were cut (why we cut unrounded values)', () => {
    const flips = raw.flatMap((r, i) => {
      if (!valid[i]) return [];
      const s = statusClass(Math.round(st.index[i] * 100) / 100);
      const d = dynamicsClass(Math.round(dy.index[i] * 100) / 100);
      return s !== members[i].statusClass || d !== members[i].dynamicsClass ? [r.PLR_ID] : [];
    });
    expect(flips.sort()).toEqual(['04200310', '04300414', '09501838']);
  });
});
