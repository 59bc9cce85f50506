/**
 * Queen contiguity from shared vertices (analysis/queen-contiguity.ts) on hand-made polygons
 * whose neighbours are known by looking; the comparison with PostGIS's ST_Intersects and with
 * spdep's poly2nb on the Berlin sample is in test/server/weights.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { queenContiguity, wkbVertices } from '../../analysis/queen-contiguity.js';

/** The closed ring of the square with lower-left corner (x, y) and side s. */
const square = (x: number, y: number, s = 1) => Float64Array.from([x, y, x + s, y, x + s, y + s, x, y + s, x, y]);

const pairs = (flat: Int32Array) => {
  const out: [number, number][] = [];
  for (let k = 0; k < flat.length; k += 2) out.push([flat[k], flat[k + 1]]);
  return out;
};

describe('queenContiguity', () => {
  it('a 3 × 3 grid: corners have 3 neighbours, edges 5, the centre 8 (20 pairs)', () => {
    const cells = [];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) cells.push(square(c, r));
    const q = queenContiguity(cells);
    const degree = new Array(9).fill(0);
    for (const [i, j] of pairs(q.shared)) {
      degree[i]++;
      degree[j]++;
    }
    expect(degree).toEqual([3, 5, 3, 5, 8, 5, 3, 5, 3]);
    expect(pairs(q.shared)).toContainEqual([0, 4]); // diagonal: one shared corner
    expect(pairs(q.shared)).not.toContainEqual([0, 2]);
    expect(q.shared.length / 2).toBe(20);
    expect(q.unresolved.length).toBe(0);
  });

  it('a T-junction without a vertex on the long edge is left to the exact test; a gap is no contact', () => {
    // A: [0,2]×[0,1]; B: [0,1]×[1,2] shares the vertex (0,1) with A (its corner (1,1) lies on
    // A's top edge, which has no vertex there); C: [1,2]×[1,2] shares (2,1) with A, (1,1) and
    // (1,2) with B.
    const a = Float64Array.from([0, 0, 2, 0, 2, 1, 0, 1, 0, 0]);
    const b = square(0, 1);
    const c = square(1, 1);
    const far = square(5, 5); // bounding box meets nobody
    const gap = square(2.5, 0); // box apart from A's by 0.5
    const q = queenContiguity([a, b, c, far, gap]);
    expect(pairs(q.shared)).toEqual([
      [0, 1], // (0,1)
      [0, 2], // (2,1)
      [1, 2], // (1,1), (1,2)
    ]);
    expect(pairs(q.unresolved)).toEqual([]);
    // A2's top edge runs from (2,1) to (0,0.5); B2's corner (1,0.75) lies on it, but A2 has no
    // vertex there: contact without a shared vertex, so the pair is unresolved, not dropped.
    const a2 = Float64Array.from([0, 0, 2, 0, 2, 1, 0, 0.5, 0, 0]);
    const b2 = Float64Array.from([1, 0.75, 1.5, 2, 0.5, 2, 1, 0.75]);
    const q2 = queenContiguity([a2, b2]);
    expect(pairs(q2.shared)).toEqual([]);
    expect(pairs(q2.unresolved)).toEqual([[0, 1]]);
  });

  it('exact coordinates: -0 equals 0, a vertex 1e-12 away is no shared vertex', () => {
    const left = Float64Array.from([-1, 0, -0, 0, -0, 1, -1, 1, -1, 0]);
    const right = square(0, 0);
    expect(pairs(queenContiguity([left, right]).shared)).toEqual([[0, 1]]);
    const nudged = square(1e-12, 0);
    const q = queenContiguity([left, nudged]);
    expect(pairs(q.shared)).toEqual([]);
    expect(pairs(q.unresolved)).toEqual([]); // boxes 1e-12 apart do not meet
  });

  it('reads (Multi)Polygon WKB in both byte orders, with and without Z and SRID', () => {
    // MULTIPOLYGON(((0 0,1 0,1 1,0 0))), little endian, as ST_AsBinary writes it
    const le = Buffer.from(
      '0106000000010000000103000000010000000400000000000000000000000000000000000000000000000000f03f0000000000000000000000000000f03f000000000000f03f00000000000000000000000000000000',
      'hex',
    );
    expect(Array.from(wkbVertices(le))).toEqual([0, 0, 1, 0, 1, 1, 0, 0]);
    // POLYGON Z((0 0 5,2 0 5,0 2 5,0 0 5)) big endian with EWKB SRID 4326
    const be = Buffer.alloc(1 + 4 + 4 + 4 + 4 + 4 * 24);
    let o = 0;
    be.writeUInt8(0, o++);
    be.writeUInt32BE((0x80000000 | 0x20000000 | 3) >>> 0, o);
    be.writeUInt32BE(4326, (o += 4));
    be.writeUInt32BE(1, (o += 4));
    be.writeUInt32BE(4, (o += 4));
    o += 4;
    for (const [x, y] of [
      [0, 0],
      [2, 0],
      [0, 2],
      [0, 0],
    ]) {
      be.writeDoubleBE(x, o);
      be.writeDoubleBE(y, o + 8);
      be.writeDoubleBE(5, o + 16);
      o += 24;
    }
    expect(Array.from(wkbVertices(be))).toEqual([0, 0, 2, 0, 0, 2, 0, 0]);
  });
});
