/**
 * Typology bench: the full pure pipeline (z-scores, PCA, k = 2..10 with 50 restarts each, inertia,
 * silhouette, Calinski–Harabasz, Davies–Bouldin, suggested k, profiles) for
 * - the Berlin sample (536 areas × 9 indicators, read from the reference input GeoJSON),
 * - 10 000 and 100 000 seeded synthetic areas × 12 indicators.
 * Targets on the 2-core machine: 10 000 < 10 s, 100 000 < 60 s. Bootstrap stability is not part
 * of these figures (the issue's pipeline list leaves it out); it is timed separately for the
 * sample with its default of 100 resamples.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measure } from './harness.js';
import { Prng } from '../../analysis/prng.js';
import { runTypology, type TypologyInput } from '../../analysis/typology.js';

const SAMPLE_INPUT = fileURLToPath(new URL('../../../shared/reference/berlin-mss-2021/input_berlin_mss2021.geojson', import.meta.url));
const NINE = ['S1', 'S3', 'S4', 'KI_01', 'KI_02', 'KI_03', 'KI_05', 'KI_10', 'KI_11'];

/** The sample as typology input (missing values as NaN, dropped by the pipeline). */
export function sampleInput(): TypologyInput | null {
  if (!existsSync(SAMPLE_INPUT)) return null;
  const geojson = JSON.parse(readFileSync(SAMPLE_INPUT, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
  const features = geojson.features;
  const p = NINE.length;
  const raw = new Float64Array(features.length * p);
  features.forEach((f, i) =>
    NINE.forEach((key, j) => {
      const v = f.properties[key];
      raw[i * p + j] = typeof v === 'number' && v !== -9999 ? v : NaN;
    }),
  );
  return {
    codes: features.map((f) => String(f.properties.PLR_ID)),
    indicators: NINE.map((key) => ({ key, label: key, polarity: key === 'KI_10' ? -1 : 1 })),
    raw,
    population: Float64Array.from(features, (f) => (typeof f.properties.EW === 'number' ? f.properties.EW : NaN)),
  };
}

/**
 * n synthetic areas × p indicators: 6 latent area types (Gaussian blobs with random centres),
 * correlated through a shared "deprivation" factor, plus noise; seeded, so every run is alike.
 */
export function syntheticInput(n: number, p: number, seed: number): TypologyInput {
  const rng = new Prng(seed);
  const gauss = (): number => {
    // Box–Muller; 1 − u avoids log(0).
    const u = 1 - rng.next();
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const latentTypes = 6;
  const centres = Array.from({ length: latentTypes * p }, () => 2 * gauss());
  const raw = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const t = rng.int(latentTypes);
    const deprivation = gauss();
    for (let j = 0; j < p; j++) raw[i * p + j] = 10 + 3 * j + centres[t * p + j] + 0.8 * deprivation + gauss();
  }
  return {
    codes: Array.from({ length: n }, (_, i) => `S${i}`),
    indicators: Array.from({ length: p }, (_, j) => ({ key: `I${j + 1}`, label: `Indikator ${j + 1}`, polarity: j % 4 === 3 ? -1 : 1 })),
    raw,
    population: Float64Array.from({ length: n }, () => 300 + rng.int(20000)),
  };
}

/** Runs fn and appends the process CPU time: on a shared machine wall time alone misleads. */
function withCpu(fn: () => string): () => string {
  return () => {
    const before = process.cpuUsage();
    const note = fn();
    const used = process.cpuUsage(before);
    return `${note}; CPU ${((used.user + used.system) / 1e6).toFixed(1)} s`;
  };
}

export async function benchTypology(): Promise<void> {
  const sample = sampleInput();
  if (sample) {
    await measure('typology', 'sample 536 × 9, k 2..10 × 50', withCpu(() => {
      const r = runTypology(sample, { bootstrap: 0 });
      return `suggested k ${r.chosenK}, silhouette exact`;
    }));
    await measure('typology', 'sample 536 × 9, k 2..10 × 50 + stability k=5 (100 resamples)', withCpu(() => {
      const r = runTypology(sample, { k: 5, bootstrap: 100 });
      return `type stability ${r.types.map((t) => t.stability?.toFixed(2)).join('/')}`;
    }));
  } else {
    console.log('| typology | sample | skipped: ../shared/reference/berlin-mss-2021/input_berlin_mss2021.geojson not found | | | |');
  }
  for (const n of [10000, 100000]) {
    const input = syntheticInput(n, 12, 2024);
    await measure('typology', `synthetic ${n} × 12, k 2..10 × 50`, withCpu(() => {
      const r = runTypology(input, { bootstrap: 0 });
      return `suggested k ${r.chosenK}; silhouette ${r.silhouette.exact ? 'exact' : `sample ${r.silhouette.sampleSize}`}`;
    }));
  }
}

// Direct run: `npx tsx test/bench/typology.ts`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void import('./harness.js').then(async ({ TABLE_HEADER }) => {
    console.log(TABLE_HEADER);
    await benchTypology();
  });
}
