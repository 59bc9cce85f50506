/**
 * GET /api/search on the Berlin sample with the shipped address register (Adressen Berlin 2023-06):
 * addresses, streets across several Planungsräume, postcodes, Ortsteile, area names and codes, the
 * folding of umlauts/ß/"str.", the level a hit leads to, and bad input. The expected areas are
 * counted from the register file itself (e.g. Ackerstraße 1 and 1A lie in 01100309, 1B in 01100415).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import type { SearchHit } from '../../server/api-types.js';
import { importAddresses } from '../../geodata/import/addresses.js';
import { ImportError } from '../../geodata/import/errors.js';
import { openSampleDb, backend } from '../helpers/test-db.js';
import { runCli } from '../helpers/run-cli.js';
import { registerImportCli } from '../../server/cli/import.js';
import { SAMPLE_DIR } from '../../geodata/sample/load.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const silent = { info: () => undefined, error: () => undefined };

describe(`street and area search on the Berlin sample (${backend})`, () => {
  let db: Db;
  let app: Express;
  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
  });
  afterAll(async () => db?.close());

  const search = async (q: string, extra = ''): Promise<SearchHit[]> =>
    (
      await request(app)
        .get(`/api/search?q=${encodeURIComponent(q)}${extra}`)
        .expect(200)
    ).body;

  it('stores the register: 401 032 addresses of 9 766 streets in all 542 Planungsräume', async () => {
    const r = await db.query<{ n: number; streets: number; areas: number; plz: number; ortsteile: number }>(
      `SELECT sum(cardinality(house_numbers))::int AS n, count(DISTINCT street)::int AS streets, count(DISTINCT code)::int AS areas,
              count(DISTINCT plz)::int AS plz, count(DISTINCT ortsteil)::int AS ortsteile FROM address WHERE level = 'plr'`,
    );
    expect(r.rows[0]).toEqual({ n: 401032, streets: 9766, areas: 542, plz: 193, ortsteile: 97 });
  });

  it('"Ackerstraße 1B" and "ackerstr 1 b" find the address in 01100415 first', async () => {
    for (const q of ['Ackerstraße 1B', 'ackerstr 1 b', 'Ackerstrasse 1b', 'Ackerstr. 1 B']) {
      const hits = await search(q);
      expect(hits[0], q).toMatchObject({
        kind: 'address',
        code: '01100415',
        level: 'plr',
        name: 'Invalidenstraße',
        parent: '011004',
        label: 'Ackerstraße 1B, 10115 Mitte: Planungsraum Invalidenstraße',
      });
      expect(
        hits.filter((h) => h.kind === 'address'),
        q,
      ).toHaveLength(1);
      const [minLon, minLat, maxLon, maxLat] = hits[0].bbox;
      expect(minLon).toBeCloseTo(13.382, 2);
      expect(maxLat).toBeCloseTo(52.538, 2);
      expect(minLon < maxLon && minLat < maxLat).toBe(true);
    }
  });

  it('a number without suffix offers every suffix; 1 and 1A lie in another Planungsraum than 1B', async () => {
    const hits = (await search('Ackerstraße 1')).filter((h) => h.kind === 'address');
    expect(hits.map((h) => [h.label.split(',')[0], h.code])).toEqual([
      ['Ackerstraße 1', '01100309'],
      ['Ackerstraße 1A', '01100309'],
      ['Ackerstraße 1B', '01100415'],
    ]);
    // a range: 1–3 in Mitte (1, 1A, 1B, 2, 3, 3A–3E) and 2, 3 of the Ackerstraße in Spandau
    const range = (await search('Ackerstraße 1-3')).filter((h) => h.kind === 'address');
    expect(range).toHaveLength(12);
    expect(range.filter((h) => h.code === '05100312').map((h) => h.label)).toEqual([
      'Ackerstraße 2, 13585 Spandau: Planungsraum Eckschanze',
      'Ackerstraße 3, 13585 Spandau: Planungsraum Eckschanze',
    ]);
  });

  it('"Stülerstrasse" and "Stulerstrasse" find the street (and the Planungsraum of that name)', async () => {
    for (const q of ['Stülerstrasse', 'Stulerstrasse', 'Stuelerstr.', 'stülerstraße']) {
      const hits = await search(q);
      expect(
        hits.map((h) => [h.kind, h.code]),
        q,
      ).toEqual([
        ['area', '01100101'],
        ['street', '01100101'],
      ]);
      expect(hits[1].label).toBe('Stülerstraße (Tiergarten): Planungsraum Stülerstraße');
    }
  });

  it('"Sonnenallee" offers one street hit per Planungsraum it touches, most addresses first, the label naming the area', async () => {
    const hits = await search('Sonnenallee');
    expect(hits.every((h) => h.kind === 'street')).toBe(true);
    expect(hits.map((h) => h.code)).toEqual([
      '08100314',
      '08100418',
      '08100521',
      '08100415',
      '09100304',
      '08100312',
      '08100520',
      '08100417',
      '08100311',
    ]);
    expect(hits[0].label).toBe('Sonnenallee (Neukölln): Planungsraum Donaustraße');
    expect(hits[4].label).toBe('Sonnenallee (Baumschulenweg): Planungsraum Baumschulenweg West');
  });

  it('on a coarser level a street hit leads to the Bezirksregion (walked up by parent codes)', async () => {
    const hits = await search('Sonnenallee', '&level=bzr');
    expect(hits.map((h) => [h.code, h.level, h.name])).toEqual([
      ['081004', 'bzr', 'Rixdorf'],
      ['081003', 'bzr', 'Reuterstraße'],
      ['081005', 'bzr', 'Köllnische Heide'],
      ['091003', 'bzr', 'Baumschulenweg'],
    ]);
    const address = await search('Ackerstraße 1B', '&level=bez');
    expect(address[0]).toMatchObject({ kind: 'address', code: '01', level: 'bez', name: 'Mitte' });
  });

  it('"Kurfürstendamm" (and "Kurfuerstendamm") lies in seven Planungsräume', async () => {
    const a = await search('Kurfürstendamm');
    const b = await search('kurfuerstendamm');
    expect(b).toEqual(a);
    expect(a.map((h) => h.code)).toEqual([
      '04501041',
      '04500937',
      '04501042',
      '04500938',
      '04501043',
      '04501040',
      '04500936',
    ]);
    expect(a[3].label).toBe('Kurfürstendamm (Halensee, Wilmersdorf): Planungsraum Hochmeisterplatz');
  });

  it('a postcode gives one hit per Planungsraum with its addresses', async () => {
    const hits = await search('10115');
    const postcodes = hits.filter((h) => h.kind === 'postcode');
    expect(postcodes.map((h) => h.code)).toEqual([
      '01100415',
      '01100308',
      '01100309',
      '01100414',
      '01100416',
      '01300836',
    ]);
    expect(hits[0].label).toBe('PLZ 10115 (Mitte): Planungsraum Invalidenstraße');
    expect(postcodes[5].label).toBe('PLZ 10115 (Wedding): Planungsraum Humboldthain Nordwest');
  });

  it('an Ortsteil name gives one hit spanning its Planungsräume', async () => {
    const hits = await search('Kreuzberg');
    expect(hits[0]).toMatchObject({
      kind: 'ortsteil',
      label: 'Ortsteil Kreuzberg: 19 Gebiete',
      code: '02200211', // the Planungsraum with most of its addresses (645)
      level: 'plr',
    });
    // the bbox spans all 19 Planungsräume: wider than the one it leads to
    const own = (await search('02200211')).find((h) => h.code === '02200211')!;
    expect(hits[0].bbox[0]).toBeLessThan(own.bbox[0]);
    expect(hits[0].bbox[2]).toBeGreaterThan(own.bbox[2]);
    // streets named after it and areas containing it follow
    expect(hits.map((h) => h.kind)).toContain('street');
    expect(hits.find((h) => h.kind === 'area')).toMatchObject({ code: '02', level: 'bez' });
  });

  it('finds area names and codes as before, on every level or the one asked for', async () => {
    expect((await search('Stüler'))[0]).toMatchObject({ kind: 'area', code: '01100101', name: 'Stülerstraße' });
    expect(await search('Tiergarten Süd')).toEqual([
      expect.objectContaining({ kind: 'area', code: '011001', level: 'bzr' }),
    ]);
    const byCode = await search('011004');
    expect(byCode.map((h) => h.code)).toEqual(['011004', '01100416', '01100415', '01100414']);
    expect(byCode[0].label).toBe('Brunnenstraße Süd (Bezirksregion 011004)');
    expect((await search('Mitte', '&level=bez')).slice(0, 2).map((h) => [h.kind, h.code, h.level])).toEqual([
      ['area', '01', 'bez'],
      ['ortsteil', '01', 'bez'],
    ]);
  });

  it('nothing found is an empty array; limit cuts the list', async () => {
    expect(await search('xyzxyz')).toEqual([]);
    expect(await search('---')).toEqual([]);
    expect(await search('Sonnenallee', '&limit=3')).toHaveLength(3);
  });

  it('answers bad input with 400: NUL bytes, control characters, overlong text, an unknown level', async () => {
    const nul = await request(app).get('/api/search?q=Acker%00str').expect(400);
    expect(JSON.stringify(nul.body)).not.toMatch(/at .*\.ts/);
    await request(app).get('/api/search?q=Acker%0Astr').expect(400);
    await request(app)
      .get(`/api/search?q=${'a'.repeat(101)}`)
      .expect(400);
    await request(app).get('/api/search?q=').expect(400);
    const level = await request(app).get('/api/search?q=Acker&level=kreis').expect(400);
    expect(level.body.error.message).toContain("'kreis'");
    // text that looks like SQL is just text
    expect(await search("Acker'; DROP TABLE address;--")).toEqual([]);
    const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM address');
    expect(n.rows[0].n).toBe(13737);
  });

  it('the importer refuses a row whose area is not in the level, naming file, row, field and value; nothing changes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'adr-'));
    const file = path.join(dir, 'adressen.csv');
    await writeFile(
      file,
      'hnr,hnr_zusatz,str_name,plz,ort_name,PLR_NAME,PLR_ID\n1,,Teststraße,10115,Mitte,X,01100415\n2,,Teststraße,10115,Mitte,X,99999999\n',
    );
    const err = await importAddresses(db, file, 'plr').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).message).toBe(
      'adressen.csv, Zeile 2, Feld "PLR_ID", Wert "99999999": kein Gebiet der Ebene \'plr\'',
    );
    await writeFile(
      file,
      'hnr,hnr_zusatz,str_name,plz,ort_name,PLR_NAME,PLR_ID\n1x,,Teststraße,10115,Mitte,X,01100415\n',
    );
    await expect(importAddresses(db, file, 'plr')).rejects.toThrow('adressen.csv, Zeile 1, Feld "hnr", Wert "1x"');
    await writeFile(file, 'hnr,str_name,plz\n1,Teststraße,10115\n');
    await expect(importAddresses(db, file, 'plr')).rejects.toThrow(
      'in der Kopfzeile fehlen die Spalten "hnr_zusatz", "ort_name", "PLR_ID"',
    );
    const n = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM address WHERE street = 'Teststraße'");
    expect(n.rows[0].n).toBe(0);
    expect((await search('Ackerstraße 1B'))[0].code).toBe('01100415');
  });

  it('sozialatlas import addresses: a bad file exits 1 naming the row; the shipped register re-imported replaces it', async () => {
    const ctx = () => ({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
    const dir = await mkdtemp(path.join(tmpdir(), 'adr-cli-'));
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'hnr,hnr_zusatz,str_name,plz,ort_name,PLR_ID\n1,,Teststraße,1011,Mitte,01100415\n');
    const fail = await runCli([registerImportCli], ctx, 'import', 'addresses', bad, '--level', 'plr');
    expect(fail.exitCode).toBe(1);
    expect(fail.err).toContain('bad.csv, Zeile 1, Feld "plz", Wert "1011": die Postleitzahl hat nicht fünf Ziffern');
    const ok = await runCli(
      [registerImportCli],
      ctx,
      'import',
      'addresses',
      path.join(SAMPLE_DIR, 'adressen_berlin_2023-06.csv.gz'),
      '--level',
      'plr',
    );
    expect(ok.exitCode).toBe(0);
    expect(ok.out).toContain(
      'adressen_berlin_2023-06.csv.gz: 401032 Adressen (Ebene plr) in 9766 Straßen, 193 Postleitzahlen, 97 Ortsteilen und 542 Gebieten; 401032 bisherige Adressen ersetzt',
    );
    expect((await search('Ackerstraße 1B'))[0].code).toBe('01100415');
  });
});
