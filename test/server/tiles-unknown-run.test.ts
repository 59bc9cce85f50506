/**
 * Run-addressed tiles (/tiles/typology/{runId}, /tiles/hotspots/{runId}) of runs that do not
 * exist: never stored, or deleted. A client that still holds the ETag of a deleted run's tile
 * (or sends If-None-Match: *) must learn that the run is gone: 404, not 304 "still valid".
 * Runs are written straight into the real tables (as tiles.test.ts does), so the test needs no
 * typology worker; the deletion goes through DELETE /api/typologies/{id} or, for hotspot runs
 * (no DELETE route), through SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { insertTypologyRun, insertHotspotRun } from '../helpers/fake-runs.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };
/**
 * The tile route reuses a run-existence answer for 500 ms (geodata/tiles/run-existence.ts), so a
 * deletion shows after that window: wait it out before asking again.
 */
const afterExistenceWindow = () => new Promise((r) => setTimeout(r, 600));

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe(`tiles of unknown or deleted runs with If-None-Match (${backend})`, () => {
  let db: Db;
  let app: Express;
  const get = (url: string) => request(app).get(url).buffer(true).parse(binary);

  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token', tileCacheMb: 64 }, log: silent });
  });
  afterAll(async () => db?.close());

  it('a deleted typology run: its tile and TileJSON answer 404 to the ETag the client holds', async () => {
    const id = await insertTypologyRun(db, 3);
    const tileUrl = `/tiles/typology/${id}/0/0/0.pbf`;
    const jsonUrl = `/tiles/typology/${id}.json`;
    const tile = await get(tileUrl).expect(200);
    const etag = tile.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    // the TileJSON ETag covers the URL base, so pin the Host (supertest listens on a new port each time)
    const tj = await request(app).get(jsonUrl).set('Host', 'atlas.example:8080').expect(200);
    const jsonEtag = tj.headers.etag as string;
    expect(jsonEtag).toMatch(/^"/);
    // while the run exists the ETag revalidates
    await request(app).get(tileUrl).set('If-None-Match', etag).expect(304);
    await request(app).get(jsonUrl).set('Host', 'atlas.example:8080').set('If-None-Match', jsonEtag).expect(304);

    await request(app).delete(`/api/typologies/${id}`).set(AUTH).expect(204);
    await request(app).get(`/api/typologies/${id}`).expect(404);
    await afterExistenceWindow();
    const gone = await request(app).get(tileUrl).set('If-None-Match', etag);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toContain(String(id));
    const goneWeak = await request(app).get(tileUrl).set('If-None-Match', `W/${etag}`);
    expect(goneWeak.status).toBe(404);
    const goneJson = await request(app).get(jsonUrl).set('Host', 'atlas.example:8080').set('If-None-Match', jsonEtag);
    expect(goneJson.status).toBe(404);
  });

  it('a deleted typology run without If-None-Match: 404 (nothing served from the tile cache)', async () => {
    const id = await insertTypologyRun(db, 4);
    const url = `/tiles/typology/${id}/0/0/0.pbf`;
    await get(url).expect(200);
    await request(app).delete(`/api/typologies/${id}`).set(AUTH).expect(204);
    await afterExistenceWindow();
    expect((await get(url)).status).toBe(404);
  });

  it('a deleted hotspot run: 404 to the ETag the client holds', async () => {
    const id = await insertHotspotRun(db);
    const url = `/tiles/hotspots/${id}/0/0/0.pbf`;
    const tile = await get(url).expect(200);
    const etag = tile.headers.etag as string;
    await request(app).get(url).set('If-None-Match', etag).expect(304);
    await db.query('DELETE FROM hotspot_run WHERE id = $1', [id]);
    expect((await db.query('SELECT count(*)::int AS n FROM hotspot_member WHERE run_id = $1', [id])).rows[0]).toEqual({
      n: 0,
    });
    await afterExistenceWindow();
    const gone = await request(app).get(url).set('If-None-Match', etag);
    expect(gone.status).toBe(404);
  });

  it('a run that never existed: 404 with If-None-Match equal to its ETag or *', async () => {
    for (const kind of ['typology', 'hotspots']) {
      const url = `/tiles/${kind}/987654/0/0/0.pbf`;
      const first = await request(app).get(url);
      expect(first.status).toBe(404);
      expect(first.body.error.message).toContain('987654');
      // the ETag a run-addressed URL would carry: taken from the 404 if the route set one there
      const etag = first.headers.etag as string | undefined;
      if (etag) expect((await request(app).get(url).set('If-None-Match', etag)).status, `${kind} ${etag}`).toBe(404);
      expect((await request(app).get(url).set('If-None-Match', '*')).status, `${kind} *`).toBe(404);
      expect(
        (await request(app).get(`/tiles/${kind}/987654.json`).set('If-None-Match', '*')).status,
        `${kind}.json *`,
      ).toBe(404);
    }
  });
});
