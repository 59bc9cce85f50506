/**
 * Tiny benchmark harness: runs a function, reports wall time and peak memory.
 * Peak memory is sampled (RSS and JS heap) every 5 ms while the function runs.
 * Benchmarks print figures; they never fail on time.
 */
export interface BenchRow {
  suite: string;
  case: string;
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** Extra figures such as throughput ("12 000 rows/s") or p95. */
  note?: string;
}

export async function measure(
  suite: string,
  name: string,
  fn: () => Promise<string | void> | string | void,
): Promise<BenchRow> {
  globalThis.gc?.();
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 5);
  const t0 = performance.now();
  let note: string | void;
  try {
    note = await fn();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t0;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const row: BenchRow = {
    suite,
    case: name,
    ms,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    note: note || undefined,
  };
  console.log(formatRow(row));
  return row;
}

export function formatRow(r: BenchRow): string {
  return `| ${r.suite} | ${r.case} | ${r.ms.toFixed(0)} ms | ${r.peakRssMb.toFixed(0)} MB | ${r.peakHeapMb.toFixed(0)} MB | ${r.note ?? ''} |`;
}

export const TABLE_HEADER = '| suite | case | time | peak RSS | peak heap | note |\n|---|---|---|---|---|---|';
