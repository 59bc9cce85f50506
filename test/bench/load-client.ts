/**
 * Bench helper, run as a second process by test/bench/load.ts: puts the read mix on a running
 * server (harness.ts roundRobinLoad) and prints one JSON line with throughput, latency
 * percentiles, errors, timeouts and the status codes.
 *
 *   node --import tsx test/bench/load-client.ts <baseUrl> <urlsFile> [connections=50] [seconds=30]
 *
 * The URLs (one path per line, already in the mix's proportions) are requested round-robin across
 * all connections.
 */
import { readFileSync } from 'node:fs';
import { roundRobinLoad } from './harness.js';

const [baseUrl, urlsFile, connArg, secArg] = process.argv.slice(2);
if (!baseUrl || !urlsFile) {
  console.error('usage: load-client.ts <baseUrl> <urlsFile> [connections] [seconds]');
  process.exit(2);
}
const paths = readFileSync(urlsFile, 'utf8').split('\n').filter(Boolean);
const connections = Number(connArg ?? 50); // default 50: the load
const seconds = Number(secArg ?? 30); // default 30 s: the load
console.log(JSON.stringify(await roundRobinLoad(baseUrl, paths, connections, seconds)));
