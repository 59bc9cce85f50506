/**
 * Monitoring bench (issue 6): all 542 Planungsraum profiles (HTML with locator map + CSV) as one
 * ZIP, target < 10 s; change and MSS index for 100 000 synthetic areas, once in pure analysis
 * code and once end to end through the services on PGlite (SQL + analysis).
 */
import { Writable } from 'node:stream';
import { measure } from './harness.js';
import { openPglite } from '../../server/db/pglite-db.js';
import { migrate } from '../../server/db/migrate.js';
import { loadSample } from '../../geodata/sample/load.js';
import { buildProfiles, locatorShapes, locatorFor } from '../../server/services/area-profile.js';
import { computeChange } from '../../server/services/indicator-change.js';
import { computeStatusIndex } from '../../server/services/status-index.js';
import { profileHtml } from '../../geodata/report/area-profile-html.js';
import { profileCsv } from '../../geodata/report/area-profile-csv.js';
import { writeZip, profileFileName, type ZipEntry } from '../../geodata/report/area-profile-zip.js';
import { compositeIndex, classify } from '../../analysis/status-index.js';
import { changeArrays } from '../../analysis/indicator-change.js';
import { Prng } from '../../analysis/prng.js';

/** A Writable that only counts bytes (the ZIP is measured, not stored). */
function byteCounter(): Writable & { bytes: number } {
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      (w as Writable & { bytes: number }).bytes += chunk.length;
      cb();
    },
  }) as Writable & { bytes: number };
  w.bytes = 0;
  return w;
}

const N = 100_000;

export async function benchMonitoring(): Promise<void> {
  const db = await openPglite();
  await migrate(db);
  await loadSample(db);

  await measure('monitoring', 'Profile plr (542) → ZIP (HTML + Lagekarte + CSV)', async () => {
    const [profiles, shapes] = await Promise.all([buildProfiles(db, 'plr'), locatorShapes(db, 'plr')]);
    const entries: ZipEntry[] = [];
    for (const p of profiles) {
      entries.push({
        name: profileFileName(p.code, p.name, 'html'),
        content: profileHtml(p, { locatorSvg: locatorFor(p.code, p.name ?? p.code, shapes) }),
      });
      entries.push({ name: profileFileName(p.code, p.name, 'csv'), content: profileCsv(p) });
    }
    const out = byteCounter();
    await writeZip(out, entries);
    return `${profiles.length} Profile, ZIP ${(out.bytes / 2 ** 20).toFixed(1)} MB (Ziel < 10 s)`;
  });

  // Pure analysis on 100 000 synthetic areas: 3 status + 3 dynamics indicators, 2 % invalid.
  const prng = new Prng(42);
  const rnd = () => prng.next();
  const cols = Array.from({ length: 6 }, () => Float64Array.from({ length: N }, () => rnd() * 20));
  const valid = Uint8Array.from({ length: N }, () => (rnd() < 0.98 ? 1 : 0));
  await measure('monitoring', `Index (Analyse, ${N.toLocaleString('de-DE')} Gebiete)`, () => {
    const st = compositeIndex(cols.slice(0, 3), valid);
    const dy = compositeIndex(cols.slice(3), valid);
    const m = classify(st.index, dy.index);
    return `${st.validCount} gültig, ${m.filter((x) => x.statusClass === 4).length} sehr niedrig`;
  });
  await measure('monitoring', `Veränderung (Analyse, ${N.toLocaleString('de-DE')} Gebiete)`, () => {
    const r = changeArrays(cols[0], cols[1]);
    return `${r.absolute.length} Werte`;
  });

  // End to end on PGlite: synthetic level 'syn' with 100 000 small squares and S1..D4, EW in 2020, S1 in 2018.
  await db.exec(`
    INSERT INTO level (key, label) VALUES ('syn', 'Synthetisch');
    INSERT INTO area (level, code, geom, area_km2)
      SELECT 'syn', lpad(i::text, 6, '0'),
             ST_Multi(ST_MakeEnvelope(13 + (i % 400) * 0.001, 52 + (i / 400) * 0.001, 13 + (i % 400) * 0.001 + 0.001, 52 + (i / 400) * 0.001 + 0.001, 4326)), 0.0075
        FROM generate_series(0, ${N - 1}) i;
    INSERT INTO observation (level, code, indicator, period, value)
      SELECT 'syn', lpad(i::text, 6, '0'), k, '2020-12-31',
             CASE WHEN k = 'EW' THEN CASE WHEN i % 50 = 0 THEN 100 ELSE 1000 + (i % 700) END ELSE abs(sin(i * 7.1 + length(k) * 13 + ascii(right(k, 1)))) * 20 END
        FROM generate_series(0, ${N - 1}) i, unnest(ARRAY['EW','S1','S3','S4','D1','D3','D4']) k;
    INSERT INTO observation (level, code, indicator, period, value)
      SELECT 'syn', lpad(i::text, 6, '0'), 'S1', '2018-12-31', abs(cos(i * 3.3)) * 20 FROM generate_series(0, ${N - 1}) i;
    ANALYZE observation;`);
  await measure('monitoring', `GET /api/change-Dienst (PGlite, ${N.toLocaleString('de-DE')} Gebiete)`, async () => {
    const r = await computeChange(db, { indicator: 'S1', level: 'syn', from: '2018-12-31', to: '2020-12-31' });
    return `${r.summary.n} Veränderungen, ${r.summary.worsened} verschlechtert`;
  });
  await measure('monitoring', `GET /api/index-Dienst (PGlite, ${N.toLocaleString('de-DE')} Gebiete)`, async () => {
    const r = await computeStatusIndex(db, { level: 'syn', period: '2020-12-31' });
    return `${r.status.validCount} gültig (EW ≥ 300), sehr niedrig ${r.counts.status['sehr niedrig']}`;
  });
  await db.close();
}
