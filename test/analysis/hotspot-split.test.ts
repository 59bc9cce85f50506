/**
 * The analysis pool runs the global and the local permutation tests of a hotspot run as two tasks
 * (server/workers/hotspot-task.ts) and joins them; the joined result must be the one-task result
 * exactly, since the two tests draw from separate random streams.
 */
import { describe, expect, it } from 'vitest';
import { hotspotAnalysis } from '../../analysis/hotspot-analysis.js';
import { weightsFromLists } from '../../analysis/spatial-weights.js';
import { gridValues } from '../bench/hotspots.js';

describe('hotspot analysis split into global and local permutation tests', () => {
  it('global part of one + local part of the other = the whole run, bit for bit (20 × 20 queen grid)', () => {
    const side = 20;
    const codes = Array.from({ length: side * side }, (_, i) => String(i).padStart(6, '0'));
    const lists: Record<string, string[]> = {};
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) {
        const l: string[] = [];
        for (let dr = -1; dr <= 1; dr++)
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            if ((dr || dc) && rr >= 0 && rr < side && cc >= 0 && cc < side) l.push(codes[rr * side + cc]);
          }
        lists[codes[r * side + c]] = l;
      }
    const w = weightsFromLists(codes, lists);
    const values = gridValues(codes, side);
    const options = { permutations: 199, seed: 7 };
    const whole = hotspotAnalysis(values, w, options);
    const global = hotspotAnalysis(values, w, { ...options, permutationTests: 'global' });
    const local = hotspotAnalysis(values, w, { ...options, permutationTests: 'local' });
    expect(global.lisaPPermutation).toBeNull();
    expect(local.global.pPermutation).toBeNull();
    const joined = { ...local, global: global.global };
    expect(joined).toEqual(whole);
    expect(whole.global.pPermutation).not.toBeNull();
    expect(whole.lisaPPermutation).not.toBeNull();
  });
});
