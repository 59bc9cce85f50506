/** Types for autocannon 9, which ships none: only what test/bench/harness.ts (roundRobinLoad) uses. */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      setupRequest?: (req: Request, context: Record<string, unknown>) => Request;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      requests?: Request[];
    }
    interface Result {
      errors: number;
      non2xx: number;
      throughput: { average: number };
      latency: Record<string, number>;
    }
  }
  function autocannon(opts: autocannon.Options): EventEmitter;
  export default autocannon;
}
