/**
 * Bench helper, run as a second process by test/bench/load.ts: puts the read mix on a running
 * server with autocannon and prints one JSON line with throughput, latency percentiles, errors,
 * timeouts and the status codes.
 *
 *   node --import tsx test/bench/load-client.ts <baseUrl> <urlsFile> [connections=50] [seconds=30]
 *
 * The URLs (one path per line, already in the mix's proportions) are requested round-robin across
 * all connections. Latencies are taken from every response (autocannon's histogram has no p95).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [baseUrl, urlsFile, connArg, secArg] = process.argv.slice(2);
if (!baseUrl || !urlsFile) {
  console.error('usage: load-client.ts <baseUrl> <urlsFile> [connections] [seconds]');
  process.exit(2);
}
const paths = readFileSync(urlsFile, 'utf8').split('\n').filter(Boolean);
const connections = Number(connArg ?? 50);
const duration = Number(secArg ?? 30);
let next = 0;
const latencies: number[] = [];
const statuses = new Map<number, number>();

const instance = autocannon({
  url: baseUrl,
  connections,
  duration,
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
});
instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  latencies.push(responseTime);
  statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
});
instance.on('done', (result: autocannon.Result) => {
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  console.log(
    JSON.stringify({
      requests: latencies.length,
      seconds: duration,
      rps: latencies.length / duration,
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      max: latencies[latencies.length - 1] ?? NaN,
      errors: result.errors,
      timeouts: (result as unknown as { timeouts?: number }).timeouts ?? 0,
      non2xx: result.non2xx,
      statuses: Object.fromEntries(statuses),
    }),
  );
});
