/**
 * A seeded simple random sample without replacement: m distinct indices of 0..n−1 in
 * ascending order (partial Fisher–Yates on analysis/prng.ts). Used for the silhouette above its
 * exact limit and for the k-means restarts on large inputs.
 */
import { Prng } from './prng.js';

export function seededSample(n: number, m: number, seed: number): Int32Array {
  if (m > n) throw new RangeError(`sample of ${m} from ${n}`);
  const rng = new Prng(seed);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, m).sort();
}
