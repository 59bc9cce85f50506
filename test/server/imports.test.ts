/**
 * Data in through the browser (issue 15): upload → preview (nothing written), settings and mapping
 * changed by PATCH, commit (values readable over /api/areas exactly as in the file), history, undo
 * (the state before, restored exactly), XLSX with a title row and codes stored as numbers, the CLI's
 * message for a file the CLI rejects, 401 without token, 413 above the upload limit, and catalogue
 * editing. Runs on PGlite and, with DATABASE_URL, on the server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Db } from '../../geodata/db.js';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { importIndicators } from '../../geodata/import/index.js';
import type { ImportPreview, ImportProblem } from '../../server/api-types-imports.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const TOKEN = 'imports-test-token';
const PERIOD = '2020-12-31';
const auth = { Authorization: `Bearer ${TOKEN}` };
const BOM = '\ufeff';

function appFor(db: Db): Express {
  return createApp({
    db,
    config: { ...configFromEnv({ SOZIALATLAS_AUTH_FAILURES: '0' }), apiToken: TOKEN },
    log: { info: () => undefined, error: () => undefined },
  });
}

/** Uploads bytes under a file name with optional query settings. */
function upload(app: Express, name: string, body: Buffer, query: Record<string, string> = {}) {
  return request(app)
    .post('/api/imports')
    .query({ name, ...query })
    .set(auth)
    .set('Content-Type', 'application/octet-stream')
    .send(body);
}

async function counts(db: Db) {
  const r = await db.query<{ obs: number; ind: number; vals: number }>(
    `SELECT (SELECT count(*)::int FROM observation) AS obs, (SELECT count(*)::int FROM indicator) AS ind,
            (SELECT count(*)::int FROM indicator_value) AS vals`,
  );
  return r.rows[0];
}

/** An area's indicator values at PERIOD as the API answers them (key → value). */
async function profileValues(app: Express, code: string): Promise<Map<string, number | null>> {
  const res = await request(app).get(`/api/areas/${code}?level=plr&period=${PERIOD}`).expect(200);
  return new Map(
    (res.body.indicators as { key: string; value: number | null; period: string }[])
      .filter((i) => i.period === PERIOD)
      .map((i) => [i.key, i.value]),
  );
}

const errorsOf = (p: ImportPreview) => p.problems.filter((x: ImportProblem) => x.severity === 'error');

describe(`upload with preview, commit and undo (${backend})`, () => {
  let db: Db;
  let app: Express;
  let codes: string[];
  let dir: string;

  beforeAll(async () => {
    db = await openSampleDb();
    app = appFor(db);
    dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-imports-'));
    // Three Planungsräume large enough never to be hidden (confidentiality), with an S4 value.
    const r = await db.query<{ code: string }>(
      `SELECT v.code FROM indicator_value v JOIN indicator_value e
          ON e.level = v.level AND e.code = v.code AND e.period = v.period AND e.indicator = 'EW'
        WHERE v.level = 'plr' AND v.indicator = 'S4' AND v.period = $1 AND v.value IS NOT NULL
          AND NOT v.suppressed AND e.value >= 2000
        ORDER BY v.code LIMIT 3`,
      [PERIOD],
    );
    codes = r.rows.map((x) => x.code);
    expect(codes).toHaveLength(3);
  });
  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('previews a German CSV with errors: every problem with row, field and value; nothing written', async () => {
    const [a, b, c] = codes;
    const csv =
      BOM +
      'Schlüssel;S4;Anteil_neu;Name\r\n' +
      `${a};12,5;40,5;Erster\r\n` +
      `${b};abc;7,25;Zweiter\r\n` + // row 2: not a number
      `99999999;3,0;1,0;Unbekannt\r\n` + // row 3: no such area
      `${a};4,0;2,0;Doppelt\r\n` + // row 4: the same area again
      `${c};1.234,5;–;Dritter\r\n`; // row 5: a share above 100 % (warning); – is missing
    const before = await counts(db);
    const res = await upload(app, 'sozialdaten.csv', Buffer.from(csv, 'utf8'), { period: PERIOD }).expect(201);
    const p = res.body as ImportPreview;
    expect(await counts(db)).toEqual(before);
    expect(p.status).toBe('preview');
    expect(p.detected).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ';',
      decimal: ',',
      thousands: '.',
      headerRow: 1,
    });
    expect(p.detected!.missing).toContain('–');
    expect(p.header).toEqual(['Schlüssel', 'S4', 'Anteil_neu', 'Name']);
    expect(p.rows).toHaveLength(5);
    expect(p.rows[1]).toEqual([b, 'abc', '7,25', 'Zweiter']);
    expect(p.mapping).toMatchObject({ level: 'plr', codeField: 'Schlüssel', period: PERIOD });
    expect(p.mapping.columns).toEqual([
      { column: 'S4', indicator: 'S4', status: 'existing', label: 'Kinderarmut' },
      { column: 'Anteil_neu', indicator: 'Anteil_neu', status: 'new' },
      { column: 'Name', indicator: null, status: 'skipped' },
    ]);
    expect(errorsOf(p).map(({ row, field, value }) => ({ row, field, value }))).toEqual([
      { row: 2, field: 'S4', value: 'abc' },
      { row: 3, field: 'Schlüssel', value: '99999999' },
      { row: 4, field: 'Schlüssel', value: a },
    ]);
    expect(errorsOf(p)[0].message).toBe('sozialdaten.csv, Zeile 2, Feld "S4", Wert "abc": keine Zahl');
    expect(errorsOf(p)[1].message).toContain('der Schlüssel passt zu keinem Gebiet der Ebene "plr"');
    expect(errorsOf(p)[2].message).toContain(`doppelter Wert für Gebiet ${a}`);
    const warnings = p.problems.filter((x) => x.severity === 'warning');
    expect(warnings).toEqual([expect.objectContaining({ row: 5, field: 'S4', value: '1234.5' })]);
    expect(warnings[0].message).toContain('zwischen 0 und 100');
    expect(p.summary).toBeNull(); // errors: nothing can be committed
    await request(app).post(`/api/imports/${p.id}/commit`).set(auth).expect(400);
    expect(await counts(db)).toEqual(before);
  });

  it('fixed via PATCH (period, mapping) → commit → values as in the file; undo restores the state before', async () => {
    const [a, b] = codes;
    const csv =
      BOM + 'Schlüssel;S4;Anteil neu;Altwert\r\n' + `${a};12,5;40,5;#DIV/0!\r\n` + `${b};13,25;7,25;n. v.\r\n`;
    const bytes = Buffer.from(csv, 'utf8');
    const before = await counts(db);
    const profileBefore = await profileValues(app, a);
    const s4Before = await db.query<{ code: string; value: number }>(
      `SELECT code, value FROM observation WHERE level = 'plr' AND indicator = 'S4' AND period = $1 AND code = ANY($2) ORDER BY code`,
      [PERIOD, [a, b]],
    );

    const first = (await upload(app, 'korrigiert.csv', bytes).expect(201)).body as ImportPreview;
    // No period and a column name that is no valid key: the CLI's first message, as the CLI says it.
    expect(errorsOf(first)).toHaveLength(1);
    expect(errorsOf(first)[0].message).toContain('braucht --period');

    const second = (await request(app).patch(`/api/imports/${first.id}`).set(auth).send({ period: PERIOD }).expect(200))
      .body as ImportPreview;
    expect(errorsOf(second)[0].message).toContain('ein Indikatorschlüssel darf nur Buchstaben');
    expect(errorsOf(second)[0].message).toContain('Vorschlag: "Anteil_neu"');

    const third = (
      await request(app)
        .patch(`/api/imports/${first.id}`)
        .set(auth)
        .send({ period: PERIOD, columns: { S4: 'S4', 'Anteil neu': 'ANTEIL_NEU', Altwert: null } })
        .expect(200)
    ).body as ImportPreview;
    expect(third.problems).toEqual([]);
    expect(third.summary).toEqual({
      total: 4,
      added: 2,
      replaced: 2,
      newIndicators: ['ANTEIL_NEU'],
      periods: [PERIOD],
    });
    expect(await counts(db)).toEqual(before); // previews write nothing

    const commit = await request(app).post(`/api/imports/${first.id}/commit`).set(auth).expect(200);
    expect(commit.body.report).toMatchObject({ total: 4, added: 2, replaced: 2, level: 'plr', periods: [PERIOD] });
    expect(commit.body.entry).toMatchObject({ status: 'committed', added: 2, replaced: 2 });
    // The automation token's name: 'token' before accounts exist, the account layer's name after.
    const actor = commit.body.entry.committedBy as string;
    expect(['token', 'SOZIALATLAS_TOKEN']).toContain(actor);
    const va = await profileValues(app, a);
    const vb = await profileValues(app, b);
    expect(va.get('S4')).toBe(12.5);
    expect(va.get('ANTEIL_NEU')).toBe(40.5);
    expect(vb.get('S4')).toBe(13.25);
    expect(vb.get('ANTEIL_NEU')).toBe(7.25);
    const ind = await request(app).get('/api/indicators').expect(200);
    expect(JSON.stringify(ind.body)).toContain('ANTEIL_NEU');

    // History: who, file, hash, level, periods, added, replaced.
    const history = await request(app).get('/api/imports').set(auth).expect(200);
    const entry = history.body.find((e: { id: number }) => e.id === first.id);
    expect(entry).toMatchObject({
      fileName: 'korrigiert.csv',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      actor,
      status: 'committed',
      level: 'plr',
      periods: [PERIOD],
      added: 2,
      replaced: 2,
    });
    await request(app).patch(`/api/imports/${first.id}`).set(auth).send({ period: PERIOD }).expect(409);
    await request(app).post(`/api/imports/${first.id}/commit`).set(auth).expect(409);

    const undo = await request(app).delete(`/api/imports/${first.id}`).set(auth).expect(200);
    expect(undo.body).toMatchObject({ restored: 2, removed: 2, removedIndicators: ['ANTEIL_NEU'] });
    expect(undo.body.entry).toMatchObject({ status: 'undone', undoneBy: actor });
    expect(await counts(db)).toEqual(before);
    const s4After = await db.query<{ code: string; value: number }>(
      `SELECT code, value FROM observation WHERE level = 'plr' AND indicator = 'S4' AND period = $1 AND code = ANY($2) ORDER BY code`,
      [PERIOD, [a, b]],
    );
    expect(s4After.rows).toEqual(s4Before.rows);
    expect(await profileValues(app, a)).toEqual(profileBefore);
    await request(app).delete(`/api/imports/${first.id}`).set(auth).expect(409);
  });

  it('refuses an undo when a later import changed the same values, naming it', async () => {
    const [a] = codes;
    const one = (await upload(app, 'eins.csv', Buffer.from(`code;S4\n${a};11\n`), { period: PERIOD }).expect(201))
      .body as ImportPreview;
    await request(app).post(`/api/imports/${one.id}/commit`).set(auth).expect(200);
    const two = (await upload(app, 'zwei.csv', Buffer.from(`code;S4\n${a};22\n`), { period: PERIOD }).expect(201))
      .body as ImportPreview;
    expect(two.summary).toMatchObject({ added: 0, replaced: 1 });
    await request(app).post(`/api/imports/${two.id}/commit`).set(auth).expect(200);
    const refused = await request(app).delete(`/api/imports/${one.id}`).set(auth).expect(409);
    expect(refused.body.error.message).toContain(`Import ${two.id} (zwei.csv, 1 Werte)`);
    await request(app).delete(`/api/imports/${two.id}`).set(auth).expect(200);
    expect((await profileValues(app, a)).get('S4')).toBe(11);
    await request(app).delete(`/api/imports/${one.id}`).set(auth).expect(200);
  });

  it('an XLSX with a title row, a merged title, codes stored as numbers and numbers as text', async () => {
    const [a, b] = codes;
    const sheet = XLSX.utils.aoa_to_sheet([
      ['Sozialdaten nach Planungsräumen, Stand 31.12.2020', ''],
      [],
      ['PLR', 'Quote_X'],
      [Number(a), '12,5'],
      [Number(b), 'x'],
    ]);
    sheet['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 1 } }];
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Tabelle1');
    const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const p = (await upload(app, 'tabelle.xlsx', bytes, { period: PERIOD }).expect(201)).body as ImportPreview;
    expect(p.detected).toMatchObject({ format: 'xlsx', headerRow: 3, decimal: ',', codesAsNumbers: true });
    expect(p.detected!.missing).toContain('x');
    expect(p.mapping).toMatchObject({ level: 'plr', codeField: 'PLR' });
    expect(p.problems).toEqual([]);
    expect(p.warnings.join(' ')).toContain('führenden Nullen verloren; auf 8 Stellen ergänzt');
    expect(p.warnings.join(' ')).toContain('Kopfzeile in Zeile 3');
    const done = await request(app).post(`/api/imports/${p.id}/commit`).set(auth).expect(200);
    expect(done.body.report).toMatchObject({ total: 2, added: 2, replaced: 0 });
    const stored = await db.query<{ code: string; value: number | null }>(
      `SELECT code, value FROM observation WHERE indicator = 'Quote_X' ORDER BY code`,
    );
    expect(stored.rows).toEqual([
      { code: a, value: 12.5 },
      { code: b, value: null },
    ]);
    await request(app).delete(`/api/imports/${p.id}`).set(auth).expect(200);
  });

  it('the CLI reads the same workbook (.xlsx) through the same reader: title skipped, zeros restored', async () => {
    const [a, b] = codes;
    const sheet = XLSX.utils.aoa_to_sheet([['Titel'], ['PLR', 'CLI_X'], [Number(a), 3], [Number(b), '4,5']]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Tabelle1');
    const file = path.join(dir, 'cli.xlsx');
    await writeFile(file, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const report = await importIndicators(db, file, { level: 'plr', codeField: 'PLR', period: PERIOD, decimal: ',' });
    expect(report).toMatchObject({ total: 2, added: 2, replaced: 0, newIndicators: ['CLI_X'], periods: [PERIOD] });
    expect(report.warnings.join(' ')).toContain('auf 8 Stellen ergänzt');
    const stored = await db.query<{ code: string; value: number }>(
      `SELECT code, value FROM observation WHERE indicator = 'CLI_X' ORDER BY code`,
    );
    expect(stored.rows).toEqual([
      { code: a, value: 3 },
      { code: b, value: 4.5 },
    ]);
  });

  it('a file the CLI rejects shows the very message of the CLI in the preview', async () => {
    const csv = `code;Anteil Ü\n${codes[0]};1,5\n`;
    const file = path.join(dir, 'umlaut.csv');
    await writeFile(file, csv);
    const cli = await importIndicators(db, file, {
      level: 'plr',
      codeField: 'code',
      period: PERIOD,
      decimal: ',',
    }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(cli).toBeDefined();
    const p = (await upload(app, 'umlaut.csv', Buffer.from(csv), { period: PERIOD }).expect(201)).body as ImportPreview;
    expect(errorsOf(p).map((x) => x.message)).toEqual([cli!.replace(file, 'umlaut.csv')]);
  });

  it('write routes answer 401 without token; the history too', async () => {
    await request(app).post('/api/imports').query({ name: 'a.csv' }).send(Buffer.from('code;S4\n')).expect(401);
    await request(app).patch('/api/imports/1').send({ period: PERIOD }).expect(401);
    await request(app).post('/api/imports/1/commit').expect(401);
    await request(app).delete('/api/imports/1').expect(401);
    await request(app).get('/api/imports').expect(401);
    await request(app).patch('/api/indicators/S4').send({ label: 'x' }).expect(401);
  });

  it('answers 400/404 for bad input, never 500', async () => {
    await upload(app, 'a/b.csv', Buffer.from('x')).expect(400);
    await upload(app, 'leer.csv', Buffer.alloc(0)).expect(400);
    await request(app).get('/api/imports/999999').set(auth).expect(404);
    await request(app).patch('/api/imports/abc').set(auth).send({}).expect(400);
    await request(app).patch('/api/imports/1').set(auth).send({ period: '2020-13-45x' }).expect(400);
    await request(app).patch('/api/imports/1').set(auth).send({ unknown: 1 }).expect(400);
    const pdf = await upload(app, 'bericht.csv', Buffer.from('%PDF-1.4 ...')).expect(201);
    expect(errorsOf(pdf.body)[0].message).toBe('bericht.csv: Das ist eine PDF-Datei, keine CSV-Datei');
  });

  it('an upload above the limit is a 413 with a German message', async () => {
    vi.stubEnv('SOZIALATLAS_MAX_UPLOAD_MB', '0.001');
    try {
      const small = appFor(db);
      const res = await upload(small, 'gross.csv', Buffer.alloc(5000, 'a')).expect(413);
      expect(res.body.error.message).toContain('Die Datei ist größer als');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('edits the catalogue: label, unit, polarity, target; validated; the catalogue answers it at once', async () => {
    const before = await request(app).get('/api/indicators').expect(200);
    expect(JSON.stringify(before.body)).not.toContain('Kinderarmut (SGB II)');
    const res = await request(app)
      .patch('/api/indicators/S4')
      .set(auth)
      .send({ label: 'Kinderarmut (SGB II)', target: 20, target_direction: 'max', polarity: 1 })
      .expect(200);
    expect(res.body).toMatchObject({ key: 'S4', label: 'Kinderarmut (SGB II)', target: 20, target_direction: 'max' });
    const after = await request(app).get('/api/indicators').expect(200);
    expect(JSON.stringify(after.body)).toContain('Kinderarmut (SGB II)');
    const bad = await request(app).patch('/api/indicators/S4').set(auth).send({ polarity: 2 }).expect(400);
    expect(bad.body.error.message).toContain('polarity muss -1, 0 oder +1 sein');
    await request(app).patch('/api/indicators/S4').set(auth).send({}).expect(400);
    await request(app).patch('/api/indicators/NOPE').set(auth).send({ label: 'x' }).expect(404);
    const cat = await request(app).get('/api/indicators/catalogue').set(auth).expect(200);
    expect(cat.body.find((i: { key: string }) => i.key === 'S4')).toMatchObject({ label: 'Kinderarmut (SGB II)' });
  });
});
