// Starts a TypeScript worker thread: Node 20 ignores `--import tsx` in a Worker's execArgv,
// so the worker registers tsx itself and then imports the module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
