/**
 * Tiny benchmark harness: runs a function, reports wall time and peak memory.
 * Peak memory is sampled (RSS and JS heap) every 5 ms while the function runs.
 * Benchmarks print figures; they never fail on time.
 */
import type autocannon from 'autocannon';

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

/** What a round-robin autocannon load measured (latencies from every response, in ms). */
export interface LoadFigures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mbPerSec: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
}

/**
 * Puts a GET load on a running server with autocannon: `connections` connections for `seconds`,
 * the paths requested round-robin across all of them. Latencies are taken from every response
 * (autocannon's own histogram has no p95). Used by the second-process load clients
 * (load-client.ts, tiles-load.ts), so the measuring never shares the server's event loop.
 */
export async function roundRobinLoad(
  baseUrl: string,
  paths: readonly string[],
  connections: number,
  seconds: number,
): Promise<LoadFigures> {
  const { default: run } = await import('autocannon'); // loaded only by the load clients
  let next = 0;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const instance = run({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
  });
  const result = await new Promise<autocannon.Result>((resolve) => instance.on('done', resolve));
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    mbPerSec: result.throughput.average / 2 ** 20,
    errors: result.errors,
    timeouts: (result as unknown as { timeouts?: number }).timeouts ?? 0,
    non2xx: result.non2xx,
    statuses: Object.fromEntries(statuses),
  };
}
