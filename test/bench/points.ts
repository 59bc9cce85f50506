/**
 * Point layers bench (issue 12): on the Berlin sample, importing the two shipped facility layers
 * again (2 880 Kitas, 274 care homes: read, transform from EPSG:25833, compare with the stored
 * stand, replace it, recompute every level) and a full recompute of the read model with the three
 * facility indicators KITA_Q, PFLEGE_Q and PFLEGE_DIST (the note gives the time of the point
 * inputs: count/sum by ST_Intersects, distance by KNN + spheroid), on PGlite and, with
 * DATABASE_URL, on the server.
 */
import path from 'node:path';
import { measure } from './harness.js';
import type { Db } from '../../geodata/db.js';
import { loadSample, SAMPLE_DIR } from '../../geodata/sample/load.js';
import { FACILITY_LAYERS } from '../../geodata/sample/facilities.js';
import { importPoints } from '../../geodata/import/points.js';
import { recomputeValues } from '../../geodata/values/recompute.js';
import { openScratchPglite, openScratchServer } from './scratch-db.js';

export async function benchPoints(): Promise<void> {
  const backends: { name: string; open: () => Promise<{ db: Db; drop: () => Promise<void> }> }[] = [];
  if (process.env.DATABASE_URL)
    backends.push({ name: 'server', open: () => openScratchServer(process.env.DATABASE_URL!, 'points') });
  backends.push({ name: 'pglite', open: openScratchPglite });
  for (const b of backends) {
    const s = await b.open();
    try {
      await loadSample(s.db);
      for (const { file, ...opts } of FACILITY_LAYERS) {
        await measure('points', `import ${opts.layer} (${file}) + recompute (${b.name})`, async () => {
          const r = await importPoints(s.db, path.join(SAMPLE_DIR, file), opts);
          return `${r.total} points, ${r.unchanged} unchanged, ${r.outside.reduce((n, o) => n + o.count, 0)} outside`;
        });
      }
      await measure('points', `recompute with KITA_Q, PFLEGE_Q, PFLEGE_DIST, 4 levels (${b.name})`, async () => {
        let pointMs = 0;
        const r = await s.db.transaction((tx) =>
          recomputeValues(tx, (step, ms) => {
            if (step.startsWith('point inputs')) pointMs += ms;
          }),
        );
        const n = await s.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM level_value WHERE indicator IN ('KITA_Q', 'PFLEGE_Q', 'PFLEGE_DIST')",
        );
        return `point inputs ${pointMs.toFixed(0)} ms; ${n.rows[0].n} facility values; ${r.formula} formula values in all`;
      });
    } finally {
      await s.drop();
    }
  }
}
