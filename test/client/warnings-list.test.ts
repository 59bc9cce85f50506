import { describe, expect, it } from 'vitest';
import { warningsByRule, type WarningsAnswer } from '../../client/src/warnings-list.js';

describe('warnings list per rule', () => {
  it('turns the per-area answer round to rules: severity first, areas by name, the data date as "since"', () => {
    const answer: WarningsAnswer = {
      level: 'plr',
      period: '2022-12-31',
      rules: [
        {
          id: 1,
          name: 'Kinderarmut hoch',
          type: 'threshold',
          severity: 'warnung',
          fired: 2,
          applicable: true,
          note: null,
        },
        {
          id: 2,
          name: 'Index sehr niedrig',
          type: 'index-class',
          severity: 'kritisch',
          fired: 1,
          applicable: true,
          note: null,
        },
        {
          id: 3,
          name: 'Trend',
          type: 'trend',
          severity: 'kritisch',
          fired: 0,
          applicable: false,
          note: 'nur ein Zeitpunkt',
        },
      ],
      areas: [
        {
          code: '02',
          name: 'Zeche',
          warnings: [
            { ruleId: 1, rule: 'Kinderarmut hoch', severity: 'warnung', message: 'KI_01 = 40 > 30' },
            { ruleId: 2, rule: 'Index sehr niedrig', severity: 'kritisch', message: 'Status sehr niedrig' },
          ],
        },
        {
          code: '01',
          name: 'Anger',
          warnings: [{ ruleId: 1, rule: 'Kinderarmut hoch', severity: 'warnung', message: 'KI_01 = 35 > 30' }],
        },
      ],
    };
    const r = warningsByRule(answer);
    expect(r.map((x) => x.id)).toEqual([2, 1, 3]);
    expect(r[1].areas).toEqual([
      { code: '01', name: 'Anger', message: 'KI_01 = 35 > 30' },
      { code: '02', name: 'Zeche', message: 'KI_01 = 40 > 30' },
    ]);
    expect(r[0].since).toBe('2022-12-31');
    expect(r[2]).toMatchObject({ applicable: false, note: 'nur ein Zeitpunkt', areas: [] });
  });
});
