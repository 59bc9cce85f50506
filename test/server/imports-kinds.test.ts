/**
 * Uploads of areas (GeoJSON, zipped Shapefile), point layers and indicator metadata (issue 15):
 * the preview is the CLI importer's dry run (nothing written; a file the CLI rejects shows the
 * CLI's message with feature/row, field and value), the commit gives the CLI's report, the undo
 * restores exactly what the import replaced (counts, an area's km², a point's coordinates, a
 * definition) and answers 409 when data written since depends on it. 401 without login, 403 for a
 * viewer. Runs on PGlite and, with DATABASE_URL, on the server; one database for the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { importAreas, importMeta, importPoints } from '../../geodata/import/index.js';
import { createAccount } from '../../server/services/accounts.js';
import { createSession } from '../../server/services/accounts-sessions.js';
import type { ImportKindReport, ImportPreview } from '../../server/api-types-imports.js';
import { openTestDb, backend } from '../helpers/test-db.js';

const TOKEN = 'imports-kinds-token';
const auth = { Authorization: `Bearer ${TOKEN}` };
const DIR = 'test/fixtures/import/upload';
const fixture = (name: string) => path.join(DIR, name);
/** The CLI names the file as given; the upload names it by its own name. */
const asUploaded = <T>(x: T): T => JSON.parse(JSON.stringify(x).split(`${DIR}/`).join('')) as T;

function upload(app: Express, name: string, kind: string, query: Record<string, string> = {}) {
  return request(app)
    .post('/api/imports')
    .query({ name, kind, ...query })
    .set(auth)
    .set('Content-Type', 'application/octet-stream')
    .send(readFileSync(fixture(name)));
}

const one = async <T>(db: Db, sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows[0];

describe(`upload of areas, points and metadata (${backend})`, () => {
  let db: Db;
  let app: Express;

  beforeAll(async () => {
    db = await openTestDb();
    app = createApp({
      db,
      config: { ...configFromEnv({ SOZIALATLAS_AUTH_FAILURES: '0' }), apiToken: TOKEN },
      log: { info: () => undefined, error: () => undefined },
    });
  });
  afterAll(async () => db?.close());

  it('401 without login, 403 for a viewer', async () => {
    const body = await readFile(fixture('gebiete.geojson'));
    await request(app)
      .post('/api/imports')
      .query({ name: 'gebiete.geojson', kind: 'areas' })
      .set('Content-Type', 'application/octet-stream')
      .send(body)
      .expect(401);
    const vera = await createAccount(db, { name: 'vera', role: 'viewer', password: 'vera-passwort-1' });
    const s = await createSession(db, vera.id);
    const denied = await request(app)
      .post('/api/imports')
      .query({ name: 'gebiete.geojson', kind: 'areas' })
      .set('Cookie', `sozialatlas_session=${s.token}`)
      .set('X-CSRF-Token', s.csrf)
      .set('Content-Type', 'application/octet-stream')
      .send(body)
      .expect(403);
    expect(denied.body.error.message).toMatch(/^Keine Berechtigung/);
    expect((await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM upload')).n).toBe(0);
  });

  it('areas: preview (nothing written), the CLI message for a bad file, commit = CLI report, re-import changes, undo', async () => {
    // Preview: what the reader found, the proposed fields, the dry run's report; nothing written.
    const p = (await upload(app, 'gebiete.geojson', 'areas', { level: 'gb' }).expect(201)).body as ImportPreview;
    expect(p.kind).toBe('areas');
    expect(p.file).toEqual({
      format: 'geojson',
      encoding: 'utf-8',
      srid: 4326,
      sridSource: 'RFC 7946 default',
      count: 3,
      fields: ['gb_code', 'name'],
    });
    expect(p.header).toEqual(['gb_code', 'name', 'Geometrie']);
    expect(p.rows[1]).toEqual(['0102', 'Süd', 'Polygon']);
    expect(p.settings).toMatchObject({ level: 'gb', codeField: 'gb_code', nameField: 'name' });
    expect(p.problems).toEqual([]);
    expect(p.report).toMatchObject({ kind: 'areas', level: 'gb', total: 3, added: 3, replaced: 0 });
    expect((await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM level')).n).toBe(0);

    // A file the CLI rejects: the same message, with feature, field and value.
    const cli = await importAreas(db, fixture('gebiete-fehler.geojson'), { level: 'gb', codeField: 'gb_code' }).catch(
      (e: Error) => e,
    );
    const bad = (await upload(app, 'gebiete-fehler.geojson', 'areas', { level: 'gb' }).expect(201))
      .body as ImportPreview;
    expect(bad.problems).toEqual([
      {
        severity: 'error',
        row: 2,
        field: 'gb_code',
        value: 'null',
        message: 'gebiete-fehler.geojson, Objekt 2, Feld "gb_code", Wert null: der Gebietsschlüssel fehlt',
      },
    ]);
    expect(bad.problems[0].message).toBe(asUploaded((cli as Error).message));
    await request(app).post(`/api/imports/${bad.id}/commit`).set(auth).expect(400);

    // Commit, then undo (level created by it: removed again), then the CLI on the same file: equal reports.
    const done = await request(app).post(`/api/imports/${p.id}/commit`).set(auth).expect(200);
    const viaApi = done.body.report as ImportKindReport;
    expect(done.body.entry).toMatchObject({ status: 'committed', kind: 'areas', level: 'gb', added: 3, replaced: 0 });
    const km2 = (
      await one<{ km2: number }>(db, "SELECT area_km2 AS km2 FROM area WHERE level = 'gb' AND code = '0101'")
    ).km2;
    const undone = await request(app).delete(`/api/imports/${p.id}`).set(auth).expect(200);
    expect(undone.body).toMatchObject({ restored: 0, removed: 3 });
    expect((await one<{ n: number }>(db, "SELECT count(*)::int AS n FROM level WHERE key = 'gb'")).n).toBe(0);
    const viaCli = await importAreas(db, fixture('gebiete.geojson'), {
      level: 'gb',
      codeField: 'gb_code',
      nameField: 'name',
    });
    expect(viaApi).toEqual(asUploaded(viaCli));

    // Re-import: 0101 grew by a fifth to the east, 0201 is missing, 0301 is new.
    const re = (await upload(app, 'gebiete-neu.geojson', 'areas', { level: 'gb' }).expect(201)).body as ImportPreview;
    expect(re.report?.areaChanges).toMatchObject({ geometry: ['0101'], added: ['0301'], vanished: ['0201'] });
    expect(re.report).toMatchObject({ total: 3, added: 1, replaced: 2 });
    await request(app).post(`/api/imports/${re.id}/commit`).set(auth).expect(200);
    const grown = await one<{ km2: number; n: number; changes: number }>(
      db,
      `SELECT (SELECT area_km2 FROM area WHERE level = 'gb' AND code = '0101') AS km2,
              (SELECT count(*)::int FROM area WHERE level = 'gb') AS n,
              (SELECT count(*)::int FROM area_change WHERE level = 'gb') AS changes`,
    );
    // Same latitude band, 0.012° instead of 0.01° of longitude: 1.2 times the spheroid area.
    expect(grown.km2 / km2).toBeCloseTo(1.2, 6);
    expect(grown).toMatchObject({ n: 4, changes: 2 });

    // Values imported since for the new area 0301: the undo would delete them, so it is refused.
    await db.query("INSERT INTO indicator (key, label, kind) VALUES ('T1', 'Test', 'count')");
    await db.query(
      "INSERT INTO observation (level, code, indicator, period, value) VALUES ('gb', '0301', 'T1', '2024-12-31', 7)",
    );
    const refused = await request(app).delete(`/api/imports/${re.id}`).set(auth).expect(409);
    expect(refused.body.error.message).toBe(
      `Import ${re.id} kann nicht rückgängig gemacht werden: für Gebiete, die er angelegt hat, wurden danach Werte importiert (z. B. Gebiet 0301: 1); das Rückgängigmachen würde sie löschen. Bitte zuerst diese Werte entfernen`,
    );
    await db.query("DELETE FROM observation WHERE indicator = 'T1'");
    const back = await request(app).delete(`/api/imports/${re.id}`).set(auth).expect(200);
    expect(back.body).toMatchObject({ restored: 2, removed: 1 });
    const after = await one<{ km2: number; n: number; changes: number; codes: string[] }>(
      db,
      `SELECT (SELECT area_km2 FROM area WHERE level = 'gb' AND code = '0101') AS km2,
              (SELECT count(*)::int FROM area WHERE level = 'gb') AS n,
              (SELECT count(*)::int FROM area_change WHERE level = 'gb') AS changes,
              (SELECT array_agg(code ORDER BY code) FROM area WHERE level = 'gb') AS codes`,
    );
    expect(after).toEqual({ km2, n: 3, changes: 0, codes: ['0101', '0102', '0201'] });
  });

  it('areas: a zipped Shapefile is read with its .prj and .cpg', async () => {
    const p = (await upload(app, 'squares.zip', 'areas', { level: 'sq', codeField: 'CODE' }).expect(201))
      .body as ImportPreview;
    expect(p.problems).toEqual([]);
    expect(p.file).toMatchObject({ format: 'shapefile', encoding: 'UTF-8', srid: 25833, sridSource: '.prj', count: 2 });
    expect(p.rows[0]).toEqual(['001', 'Quadrat 1 km²', 'Polygon']);
    expect(p.report).toMatchObject({ file: 'squares.zip/squares-25833.shp', level: 'sq', total: 2, added: 2 });
  });

  it('points: preview, the CLI message for a bad file, commit = CLI report, a new stand undone exactly', async () => {
    const opts = { layer: 'einrichtungen', period: '2024-01-01', idField: 'id', nameField: 'name' };
    const p = (await upload(app, 'einrichtungen.csv', 'points', { period: '2024-01-01' }).expect(201))
      .body as ImportPreview;
    expect(p.file).toEqual({
      format: 'csv',
      encoding: 'utf-8',
      srid: null,
      sridSource: null,
      count: 3,
      fields: ['id', 'name', 'plaetze'],
    });
    expect(p.rows[0]).toEqual(['k1', 'Kita Nord', '40', '13.405', '52.505']);
    expect(p.settings).toMatchObject(opts);
    expect(p.report).toMatchObject({ total: 3, srid: 4326, outside: [{ level: 'gb', count: 1, ids: ['k3'] }] });
    expect((await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM point_layer')).n).toBe(0);

    const cli = await importPoints(db, fixture('einrichtungen-fehler.csv'), { ...opts }).catch((e: Error) => e);
    const bad = (await upload(app, 'einrichtungen-fehler.csv', 'points', { period: '2024-01-01' }).expect(201))
      .body as ImportPreview;
    expect(bad.problems).toEqual([
      {
        severity: 'error',
        row: 2,
        field: 'id',
        value: 'k1',
        message: asUploaded((cli as Error).message),
      },
    ]);

    const viaApi = (await request(app).post(`/api/imports/${p.id}/commit`).set(auth).expect(200)).body.report;
    await request(app).delete(`/api/imports/${p.id}`).set(auth).expect(200);
    expect((await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM point_feature')).n).toBe(0);
    const viaCli = await importPoints(db, fixture('einrichtungen.csv'), opts);
    expect(viaApi).toEqual(asUploaded(viaCli));

    // A new stand over the CLI's: k1 moved ~34 m, k2 gone, k4 new; the undo brings the CLI's stand back.
    const next = (
      await upload(app, 'einrichtungen-2.csv', 'points', { period: '2024-01-01', layer: 'einrichtungen' }).expect(201)
    ).body as ImportPreview;
    expect(next.report).toMatchObject({ total: 3, added: 1, removed: 1, moved: 1, unchanged: 1, movedIds: ['k1'] });
    await request(app).post(`/api/imports/${next.id}/commit`).set(auth).expect(200);
    const stand = `SELECT array_agg(fid || ':' || round(ST_X(geom)::numeric, 6) ORDER BY fid) AS pts,
                          (SELECT source_file FROM point_layer WHERE key = 'einrichtungen') AS src
                     FROM point_feature WHERE layer = 'einrichtungen'`;
    expect(await one(db, stand)).toEqual({
      pts: ['k1:13.405500', 'k3:13.500000', 'k4:13.425000'],
      src: 'einrichtungen-2.csv',
    });
    const undone = await request(app).delete(`/api/imports/${next.id}`).set(auth).expect(200);
    expect(undone.body).toMatchObject({ restored: 3, removed: 3 });
    expect(await one(db, stand)).toEqual({
      pts: ['k1:13.405000', 'k2:13.415000', 'k3:13.500000'],
      src: fixture('einrichtungen.csv'),
    });
  });

  it('meta: every row problem in the preview, source and attribution imported and editable, undo restores definitions', async () => {
    const cli = await importMeta(db, fixture('meta-fehler.csv')).catch((e: Error) => e);
    const bad = (await upload(app, 'meta-fehler.csv', 'meta').expect(201)).body as ImportPreview;
    expect(bad.problems.map((x) => [x.row, x.field, x.value])).toEqual([
      [1, 'polarity', '5'],
      [2, 'label', ''],
      [2, 'kind', 'wrong'],
    ]);
    expect(bad.problems[0].message).toBe(asUploaded((cli as Error).message));
    expect(bad.problems[0].message).toBe(
      'meta-fehler.csv, Zeile 1, Feld "polarity", Wert "5": polarity muss -1, 0 oder +1 sein',
    );

    await importMeta(db, fixture('meta-alt.csv')); // Q1 exists before the upload
    const p = (await upload(app, 'meta-upload.csv', 'meta').expect(201)).body as ImportPreview;
    expect(p.file).toMatchObject({ format: 'csv', count: 2 });
    expect(p.report).toMatchObject({ kind: 'meta', total: 2, added: 1, replaced: 1 });
    const done = await request(app).post(`/api/imports/${p.id}/commit`).set(auth).expect(200);
    expect(done.body.report).toMatchObject({ total: 2, added: 1, replaced: 1 });
    const cat = (await request(app).get('/api/indicators/catalogue').set(auth).expect(200)).body as {
      key: string;
      source: string | null;
      attribution: string | null;
    }[];
    expect(cat.find((i) => i.key === 'Q1')).toMatchObject({
      source: 'Amt für Statistik Berlin-Brandenburg',
      attribution: 'CC BY 3.0 DE',
    });
    // Changed in the catalogue since: the undo would overwrite that edit, so it is refused.
    const edited = await request(app)
      .patch('/api/indicators/KITA')
      .set(auth)
      .send({ source: 'Jugendamt', attribution: null })
      .expect(200);
    expect(edited.body).toMatchObject({ key: 'KITA', source: 'Jugendamt', attribution: null });
    const refused = await request(app).delete(`/api/imports/${p.id}`).set(auth).expect(409);
    expect(refused.body.error.message).toMatch(/die Definition von KITA wurde danach geändert/);
    await request(app)
      .patch('/api/indicators/KITA')
      .set(auth)
      .send({ source: 'Senatsverwaltung für Bildung', attribution: 'Datenlizenz Deutschland – Namensnennung 2.0' })
      .expect(200);
    const undone = await request(app).delete(`/api/imports/${p.id}`).set(auth).expect(200);
    expect(undone.body).toMatchObject({ restored: 1, removed: 1, removedIndicators: ['KITA'] });
    const rows = (
      await db.query<{ key: string; label: string; source: string | null }>(
        "SELECT key, label, source FROM indicator WHERE key IN ('KITA', 'Q1') ORDER BY key",
      )
    ).rows;
    expect(rows).toEqual([{ key: 'Q1', label: 'Alt', source: null }]);
    const history = (await request(app).get('/api/imports').set(auth).expect(200)).body as { kind: string }[];
    expect(new Set(history.map((h) => h.kind))).toEqual(new Set(['areas', 'points', 'meta']));
  });
});
