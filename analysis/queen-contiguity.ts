/**
 * Queen contiguity from the polygons' vertices, the way libpysal's Queen.from_dataframe and R
 * spdep's poly2nb decide it: two areas are neighbours when they share a vertex (a boundary point
 * with exactly the same coordinates). In a noded partition — every boundary point of one area
 * that lies on another area's boundary is a vertex of both, as in a topologically clean
 * Planungsraum or Gemeinde layer and in any grid — this is exactly the set of pairs whose
 * polygons intersect, and it costs one sort of the vertices instead of a polygon/polygon test per
 * pair of overlapping bounding boxes (which took seconds on 10 000 areas in PGlite's WASM GEOS).
 *
 * Data that is not noded can touch without a shared vertex: a vertex of one area lying on an edge
 * of the other (a T-junction), or a sliver overlap where edges cross. Vertices alone miss those
 * pairs, so they are not guessed: every pair whose bounding boxes meet but which shares no vertex
 * is returned as `unresolved`, for an exact polygon test by the caller (server/services/weights.ts
 * asks PostGIS's ST_Intersects about exactly these pairs). Shared-vertex pairs plus the unresolved
 * pairs that intersect are then the ST_Intersects pairs, whatever the topology: a shared vertex is
 * a common point, and intersecting polygons always have meeting bounding boxes.
 *
 * Pure: coordinate arrays in, index pairs out. Coordinates are compared exactly (no tolerance),
 * which is right for one stored geometry column: a shared boundary digitised once has
 * bit-identical vertices on both sides.
 */

/** The neighbour pairs of a set of polygons, as index pairs (i < j) into the input. */
export interface QueenContiguity {
  /** Pairs sharing at least one vertex: neighbours for certain. Flat [i0, j0, i1, j1, …], sorted. */
  shared: Int32Array;
  /** Pairs whose bounding boxes meet but which share no vertex: neighbours only if an exact test says they touch. Flat, sorted. */
  unresolved: Int32Array;
}

/**
 * `vertices[a]` holds area a's vertex coordinates as [x0, y0, x1, y1, …] (all rings and parts
 * together; repeated points such as a ring's closing point do no harm). An area without vertices
 * (empty geometry) has no neighbours.
 */
export function queenContiguity(vertices: readonly Float64Array[]): QueenContiguity {
  const n = vertices.length;
  let total = 0;
  for (const v of vertices) {
    if (v.length % 2 !== 0) throw new Error('Koordinaten paarweise (x, y) erwartet');
    total += v.length / 2;
  }
  // All vertices in one table (x, y, owning area); equal points are found by hashing the bits
  // of the coordinates into an open-addressing table (a sort of 200 000 vertices by comparator
  // took several times longer). -0 is stored as 0 so that it equals 0 here as it does in GEOS.
  const xy = new Float64Array(2 * total);
  const bits = new Uint32Array(xy.buffer);
  const owner = new Int32Array(total);
  let k = 0;
  for (let a = 0; a < n; a++) {
    const v = vertices[a];
    for (let p = 0; p < v.length; p += 2) {
      xy[2 * k] = v[p] + 0;
      xy[2 * k + 1] = v[p + 1] + 0;
      owner[k] = a;
      k++;
    }
  }
  let size = 1;
  while (size < 2 * total) size <<= 1;
  const mask = size - 1;
  const slot = new Int32Array(size).fill(-1); // first vertex of each distinct point
  const next = new Int32Array(total).fill(-1); // other vertices of the same point, one per area
  const pairs = new PairSet(n);
  for (let v = 0; v < total; v++) {
    const x = xy[2 * v];
    const y = xy[2 * v + 1];
    let h = Math.imul(bits[4 * v] ^ Math.imul(bits[4 * v + 1], 0x9e3779b1), 0x85ebca6b);
    h ^= Math.imul(bits[4 * v + 2] ^ Math.imul(bits[4 * v + 3], 0xc2b2ae35), 0x27d4eb2f);
    h ^= h >>> 15;
    let s = h & mask;
    for (;;) {
      const first = slot[s];
      if (first < 0) {
        slot[s] = v;
        break;
      }
      if (xy[2 * first] === x && xy[2 * first + 1] === y) {
        // the same point: pair this vertex's area with every other area already at it
        const a = owner[v];
        let seen = false;
        let last = first;
        for (let m = first; m >= 0; m = next[m]) {
          last = m;
          if (owner[m] === a) seen = true;
          else pairs.add(a, owner[m]);
        }
        if (!seen) next[last] = v;
        break;
      }
      s = (s + 1) & mask;
    }
  }

  const unresolved: number[] = [];
  forEachBoxContact(vertices, (i, j) => {
    if (!pairs.has(i, j)) unresolved.push(i < j ? i : j, i < j ? j : i);
  });
  return { shared: pairs.sorted(), unresolved: sortPairs(unresolved) };
}

/**
 * Calls fn(i, j) once for every pair of areas whose bounding boxes meet (touching edges count):
 * sort by the left edge and sweep, comparing each box with those starting before it ends.
 */
function forEachBoxContact(vertices: readonly Float64Array[], fn: (i: number, j: number) => void): void {
  const n = vertices.length;
  const minX = new Float64Array(n);
  const minY = new Float64Array(n);
  const maxX = new Float64Array(n);
  const maxY = new Float64Array(n);
  const withBox: number[] = [];
  for (let a = 0; a < n; a++) {
    const v = vertices[a];
    if (v.length === 0) continue;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let p = 0; p < v.length; p += 2) {
      const x = v[p];
      const y = v[p + 1];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    minX[a] = x0;
    minY[a] = y0;
    maxX[a] = x1;
    maxY[a] = y1;
    withBox.push(a);
  }
  withBox.sort((p, q) => minX[p] - minX[q] || p - q);
  for (let s = 0; s < withBox.length; s++) {
    const a = withBox[s];
    const right = maxX[a];
    for (let t = s + 1; t < withBox.length; t++) {
      const b = withBox[t];
      if (minX[b] > right) break;
      if (minY[b] <= maxY[a] && minY[a] <= maxY[b]) fn(a, b);
    }
  }
}

/** A set of unordered pairs of indices below n. */
class PairSet {
  private readonly set = new Set<number>();
  constructor(private readonly n: number) {}
  private key(i: number, j: number): number {
    return i < j ? i * this.n + j : j * this.n + i; // < 2^53 for any realistic n
  }
  add(i: number, j: number): void {
    this.set.add(this.key(i, j));
  }
  has(i: number, j: number): boolean {
    return this.set.has(this.key(i, j));
  }
  sorted(): Int32Array {
    const keys = Float64Array.from(this.set).sort();
    const out = new Int32Array(keys.length * 2);
    for (let k = 0; k < keys.length; k++) {
      const i = Math.floor(keys[k] / this.n);
      out[2 * k] = i;
      out[2 * k + 1] = keys[k] - i * this.n;
    }
    return out;
  }
}

function sortPairs(flat: number[]): Int32Array {
  const idx = Array.from({ length: flat.length / 2 }, (_, k) => k);
  idx.sort((p, q) => flat[2 * p] - flat[2 * q] || flat[2 * p + 1] - flat[2 * q + 1]);
  const out = new Int32Array(flat.length);
  idx.forEach((p, k) => {
    out[2 * k] = flat[2 * p];
    out[2 * k + 1] = flat[2 * p + 1];
  });
  return out;
}

/**
 * The vertex coordinates of a WKB geometry (OGC/ISO or PostGIS extended WKB, either byte order,
 * with or without Z/M, SRID prefix allowed), as [x0, y0, x1, y1, …]: every point of every ring,
 * part and member. What ST_AsBinary returns for an area's (Multi)Polygon.
 */
export function wkbVertices(bytes: Uint8Array): Float64Array {
  return wkbVerticesAll(bytes, 1)[0];
}

/**
 * The vertices of `count` WKB geometries written one after the other (WKB is self-delimiting), as
 * from string_agg(ST_AsBinary(geom), ''::bytea): one buffer for a whole level instead of one per area.
 */
export function wkbVerticesAll(bytes: Uint8Array, count: number): Float64Array[] {
  const reader = new WkbReader(bytes);
  const out: Float64Array[] = [];
  for (let g = 0; g < count; g++) {
    reader.coords.length = 0;
    reader.geometry();
    out.push(Float64Array.from(reader.coords));
  }
  if (reader.pos !== bytes.byteLength) throw new Error('WKB: unerwartete Daten nach der letzten Geometrie');
  return out;
}

class WkbReader {
  pos = 0;
  readonly coords: number[] = [];
  private readonly view: DataView;
  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  geometry(): void {
    const view = this.view;
    const little = view.getUint8(this.pos) === 1;
    this.pos += 1;
    let type = view.getUint32(this.pos, little);
    this.pos += 4;
    // PostGIS EWKB flags: Z 0x80000000, M 0x40000000, SRID 0x20000000
    let dims = 2;
    if (type & 0x80000000) dims++;
    if (type & 0x40000000) dims++;
    if (type & 0x20000000) this.pos += 4;
    type &= 0x0fffffff;
    // ISO WKB: 1000s = Z, 2000s = M, 3000s = ZM
    if (type >= 1000) {
      dims += Math.floor(type / 1000) === 3 ? 2 : 1;
      type %= 1000;
    }
    switch (type) {
      case 1:
        // an empty point is NaN, NaN: no vertex
        if (Number.isNaN(view.getFloat64(this.pos, little))) this.pos += 8 * dims;
        else this.points(1, dims, little);
        return;
      case 2:
        return this.points(this.count(little), dims, little);
      case 3: {
        const rings = this.count(little);
        for (let r = 0; r < rings; r++) this.points(this.count(little), dims, little);
        return;
      }
      case 4:
      case 5:
      case 6:
      case 7: {
        const parts = this.count(little);
        for (let p = 0; p < parts; p++) this.geometry();
        return;
      }
      default:
        throw new Error(`WKB-Geometrietyp ${type} wird nicht unterstützt`);
    }
  }

  private count(little: boolean): number {
    const c = this.view.getUint32(this.pos, little);
    this.pos += 4;
    return c;
  }

  private points(count: number, dims: number, little: boolean): void {
    const view = this.view;
    const coords = this.coords;
    let pos = this.pos;
    for (let i = 0; i < count; i++) {
      coords.push(view.getFloat64(pos, little), view.getFloat64(pos + 8, little));
      pos += 8 * dims;
    }
    this.pos = pos;
  }
}
