/**
 * The published typology (issue 14, item 1) on the Berlin sample: the default first-start run is
 * published; publishing another run of the level withdraws it (one per level); a research run
 * changes nothing until it is published; writes need the token; unknown runs are 404; type names
 * and descriptions round-trip per run and k, and the suggestions speak plain words (none of the
 * words counselling must not show).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import type { Db } from '../../geodata/db.js';
import type { TypologyRunSummary, TypologyRunView } from '../../server/api-types.js';
import { computeDefaultTypology } from '../../server/services/typology.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };
/** The words the counselling view must not show (issue 14, "Done when"). */
const FORBIDDEN = [
  'Typ',
  'Belastung',
  'überdurchschnittlich',
  'unterdurchschnittlich',
  'z-Wert',
  'SD',
  'Lauf',
  'Cluster',
];
const RESEARCH = {
  level: 'plr',
  period: '2020-12-31',
  indicators: ['S1', 'S3', 'S4', 'KI_03'],
  kRange: [2, 4],
  restarts: 5,
};

describe(`published typology and plain type names (${backend})`, () => {
  let db: Db;
  let app: Express;
  let defaultId: number;
  let researchId: number;
  beforeAll(async () => {
    db = await openSampleDb();
    const ctx: AppContext = { db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent };
    app = createApp(ctx);
    defaultId = (await computeDefaultTypology(ctx))!;
  });
  afterAll(async () => db?.close());

  it('the default first-start run is the published run of plr; bzr has none (404 naming the level)', async () => {
    const pub = await request(app).get('/api/typologies/published?level=plr').expect(200);
    const run = pub.body as TypologyRunView;
    expect(run.id).toBe(defaultId);
    expect(run.published).toBe(true);
    expect(run.k).toBe(5);
    expect(run.types.map((t) => t.type)).toEqual([1, 2, 3, 4, 5]);
    // same shape as GET /api/typologies/{id}
    const byId = await request(app).get(`/api/typologies/${defaultId}`).expect(200);
    expect(byId.body).toEqual(pub.body);
    const none = await request(app).get('/api/typologies/published?level=bzr').expect(404);
    expect(none.body.error.message).toBe('Für Ebene bzr ist keine Typisierung veröffentlicht');
    await request(app).get('/api/typologies/published?level=nope').expect(400);
    await request(app).get('/api/typologies/published').expect(400);
    // its members are published like any run's: without the 5 areas hidden to protect a sibling
    const members = await request(app).get(`/api/typologies/${defaultId}/members`).expect(200);
    expect(members.body).toHaveLength(531);
  });

  it('suggested names and descriptions speak plain words, are distinct, and rank need (1 = highest)', async () => {
    const run = (await request(app).get(`/api/typologies/${defaultId}`).expect(200)).body as TypologyRunView;
    const result = run.result as { types: { type: number; needScore: number }[] };
    for (const k of run.availableK) {
      const view = (await request(app).get(`/api/typologies/${defaultId}?k=${k}`).expect(200)).body as TypologyRunView;
      expect(view.types).toHaveLength(k);
      for (const t of view.types) {
        expect(t.suggested).toBe(true);
        expect(t.name.length).toBeGreaterThan(3);
        expect(t.description.length).toBeGreaterThan(10);
        for (const word of FORBIDDEN) {
          expect(t.name, `k=${k} Typ ${t.type}: ${t.name}`).not.toContain(word);
          expect(t.description, `k=${k} Typ ${t.type}: ${t.description}`).not.toContain(word);
        }
        expect(t.name).not.toMatch(/\d/);
      }
      expect(new Set(view.types.map((t) => t.name)).size).toBe(k);
      // need order: types are numbered by ascending need, so type k has need rank 1
      expect(view.types.map((t) => t.needRank)).toEqual(view.types.map((t) => k - t.type + 1));
    }
    // the need score behind the rank: the highest need score belongs to needRank 1
    const top = result.types.reduce((a, b) => (b.needScore > a.needScore ? b : a));
    expect(run.types.find((t) => t.needRank === 1)!.type).toBe(top.type);
    // the highest-need type of the default run (k = 5) stands out by child poverty and welfare receipt
    const neediest = run.types.find((t) => t.needRank === 1)!;
    expect(neediest.description).toMatch(/^Deutlich mehr als im Mittel aller Gebiete: /);
    expect(neediest.description).toContain('Kinderarmut');
    const least = run.types.find((t) => t.needRank === 5)!;
    expect(least.description).toContain('Weniger als im Mittel aller Gebiete');
  });

  it('names round-trip per run and k; other types stay suggested; bad bodies are 400', async () => {
    const put = await request(app)
      .put(`/api/typologies/${defaultId}/types`)
      .set(AUTH)
      .send({
        types: [
          {
            type: 5,
            name: 'Große Familien, kleine Einkommen',
            description: 'Viele Kinder, oft mit wenig Geld – Straße',
          },
          { type: 1, name: 'Ruhige Wohngegend mit vielen Älteren', description: '' },
        ],
      })
      .expect(200);
    expect(put.body.map((t: { type: number }) => t.type)).toEqual([1, 2, 3, 4, 5]);
    const run = (await request(app).get(`/api/typologies/${defaultId}`).expect(200)).body as TypologyRunView;
    const byType = new Map(run.types.map((t) => [t.type, t]));
    expect(byType.get(5)).toMatchObject({
      name: 'Große Familien, kleine Einkommen',
      description: 'Viele Kinder, oft mit wenig Geld – Straße',
      suggested: false,
      needRank: 1,
    });
    expect(byType.get(1)).toMatchObject({
      name: 'Ruhige Wohngegend mit vielen Älteren',
      description: '',
      suggested: false,
    });
    expect([2, 3, 4].map((t) => byType.get(t)!.suggested)).toEqual([true, true, true]);
    // the published read shows the same texts
    const pub = (await request(app).get('/api/typologies/published?level=plr').expect(200)).body as TypologyRunView;
    expect(pub.types.find((t) => t.type === 5)!.name).toBe('Große Familien, kleine Einkommen');
    // a second edit replaces the first
    await request(app)
      .put(`/api/typologies/${defaultId}/types`)
      .set(AUTH)
      .send({ types: [{ type: 5, name: 'Familien mit kleinem Einkommen', description: 'neu' }] })
      .expect(200);
    const again = (await request(app).get(`/api/typologies/${defaultId}`).expect(200)).body as TypologyRunView;
    expect(again.types.find((t) => t.type === 5)).toMatchObject({
      name: 'Familien mit kleinem Einkommen',
      description: 'neu',
    });
    // texts are per k: k = 3 of the same run is still all suggested
    const k3 = (await request(app).get(`/api/typologies/${defaultId}?k=3`).expect(200)).body as TypologyRunView;
    expect(k3.types.every((t) => t.suggested)).toBe(true);
    await request(app)
      .put(`/api/typologies/${defaultId}/types`)
      .set(AUTH)
      .send({ k: 3, types: [{ type: 3, name: 'Drei', description: '' }] })
      .expect(200);
    const k3b = (await request(app).get(`/api/typologies/${defaultId}?k=3`).expect(200)).body as TypologyRunView;
    expect(k3b.types.find((t) => t.type === 3)).toMatchObject({ name: 'Drei', suggested: false });
    expect(again.types.find((t) => t.type === 3)!.suggested).toBe(true);

    const bad = async (body: object, message: RegExp) => {
      const res = await request(app).put(`/api/typologies/${defaultId}/types`).set(AUTH).send(body).expect(400);
      expect(res.body.error.message).toMatch(message);
    };
    await bad({ types: [{ type: 6, name: 'x', description: '' }] }, /Typ 6 gibt es bei k = 5 nicht/);
    await bad(
      {
        types: [
          { type: 2, name: 'a', description: '' },
          { type: 2, name: 'b', description: '' },
        ],
      },
      /Typ 2 ist doppelt/,
    );
    await bad({ types: [{ type: 2, name: '   ', description: '' }] }, /Name darf nicht leer sein/);
    await bad({ types: [{ type: 2, name: 'x'.repeat(121), description: '' }] }, /höchstens 120 Zeichen/);
    await bad({ types: [{ type: 2, name: 'x', description: 'y'.repeat(1001) }] }, /höchstens 1000 Zeichen/);
    await bad({ k: 11, types: [{ type: 2, name: 'x', description: '' }] }, /k = 11 liegt außerhalb/);
    await bad({ types: [] }, /mindestens ein Typ/);
    await bad({ types: [{ type: 2, name: 'x', description: '', extra: 1 }] }, /Ungültige Angaben/);
    await request(app)
      .put('/api/typologies/99999/types')
      .set(AUTH)
      .send({ types: [{ type: 1, name: 'x', description: '' }] })
      .expect(404);
    await request(app)
      .put(`/api/typologies/${defaultId}/types`)
      .send({ types: [{ type: 1, name: 'x', description: '' }] })
      .expect(401);
  });

  it('a new research run does not change what /published returns; publishing it withdraws the default run', async () => {
    // ids past 9, so the list's order shows whether ids sort as numbers (text would put "9" before "10")
    await db.query("SELECT setval(pg_get_serial_sequence('typology_run', 'id'), 8)");
    const first = await request(app).post('/api/typologies').set(AUTH).send(RESEARCH).expect(201);
    const second = await request(app)
      .post('/api/typologies')
      .set(AUTH)
      .send({ ...RESEARCH, seed: 2 })
      .expect(201);
    expect([first.body.runId, second.body.runId]).toEqual([9, 10]);
    researchId = second.body.runId;

    const pub = (await request(app).get('/api/typologies/published?level=plr').expect(200)).body as TypologyRunView;
    expect(pub.id).toBe(defaultId);
    const list = (await request(app).get('/api/typologies').expect(200)).body as TypologyRunSummary[];
    expect(list.map((r) => r.id)).toEqual([10, 9, defaultId]);
    expect(list.map((r) => r.published)).toEqual([false, false, true]);

    await request(app).put(`/api/typologies/${researchId}/published`).send({ published: true }).expect(401);
    await request(app)
      .put(`/api/typologies/${researchId}/published`)
      .set({ Authorization: 'Bearer wrong-token' })
      .send({ published: true })
      .expect(403);
    await request(app).put('/api/typologies/99999/published').set(AUTH).send({ published: true }).expect(404);
    await request(app).put(`/api/typologies/${researchId}/published`).set(AUTH).send({ published: 'ja' }).expect(400);
    expect((await request(app).get('/api/typologies/published?level=plr').expect(200)).body.id).toBe(defaultId);

    const done = await request(app)
      .put(`/api/typologies/${researchId}/published`)
      .set(AUTH)
      .send({ published: true })
      .expect(200);
    expect(done.body).toEqual({ id: researchId, level: 'plr', published: true, unpublished: defaultId });
    expect((await request(app).get('/api/typologies/published?level=plr').expect(200)).body.id).toBe(researchId);
    const after = (await request(app).get('/api/typologies').expect(200)).body as TypologyRunSummary[];
    expect(after.filter((r) => r.published).map((r) => r.id)).toEqual([researchId]);
    // publishing it again changes nothing
    const again = await request(app)
      .put(`/api/typologies/${researchId}/published`)
      .set(AUTH)
      .send({ published: true })
      .expect(200);
    expect(again.body.unpublished).toBeNull();
    // the database itself refuses a second published run of a level
    await expect(db.query('UPDATE typology_run SET published = true WHERE id = $1', [defaultId])).rejects.toThrow();
  });

  it('withdrawing leaves the level without a published run; the default run can be published again', async () => {
    const off = await request(app)
      .put(`/api/typologies/${researchId}/published`)
      .set(AUTH)
      .send({ published: false })
      .expect(200);
    expect(off.body).toEqual({ id: researchId, level: 'plr', published: false, unpublished: null });
    await request(app).get('/api/typologies/published?level=plr').expect(404);
    await request(app).put(`/api/typologies/${defaultId}/published`).set(AUTH).send({ published: true }).expect(200);
    const pub = (await request(app).get('/api/typologies/published?level=plr').expect(200)).body as TypologyRunView;
    expect(pub.id).toBe(defaultId);
    // its edited names are still there
    expect(pub.types.find((t) => t.type === 5)!.name).toBe('Familien mit kleinem Einkommen');
    // deleting the published run leaves none
    await request(app).delete(`/api/typologies/${defaultId}`).set(AUTH).expect(204);
    await request(app).get('/api/typologies/published?level=plr').expect(404);
    const texts = await db.query('SELECT count(*)::int AS n FROM typology_type_text WHERE run_id = $1', [defaultId]);
    expect(texts.rows[0]).toEqual({ n: 0 });
  });
});
