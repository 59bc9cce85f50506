/**
 * Bench helper, run as a second process by test/bench/tiles.ts: puts an HTTP load on a running
 * tile server (harness.ts roundRobinLoad) and prints one JSON line with throughput and latency
 * percentiles.
 *
 *   node --import tsx test/bench/tiles-load.ts <baseUrl> <urlsFile> [connections=50] [seconds=20]
 *
 * The URLs (one path per line) are requested round-robin across all connections.
 */
import { readFileSync } from 'node:fs';
import { roundRobinLoad } from './harness.js';

const [baseUrl, urlsFile, connArg, secArg] = process.argv.slice(2);
if (!baseUrl || !urlsFile) {
  console.error('usage: tiles-load.ts <baseUrl> <urlsFile> [connections] [seconds]');
  process.exit(2);
}
const paths = readFileSync(urlsFile, 'utf8').split('\n').filter(Boolean);
const connections = Number(connArg ?? 50); // default 50: the load
const seconds = Number(secArg ?? 20); // default 20 s: the load
console.log(JSON.stringify(await roundRobinLoad(baseUrl, paths, connections, seconds)));
