/**
 * One schema per request, three readers: the API validates with it, the CLI maps its flags to the
 * same object and parses with it, and the OpenAPI document is generated from it. These tests pin
 * that down without a database (every bad request here is refused before any query):
 * the documented request bodies and parameters are the schemas' JSON Schema with the shared
 * defaults, and a bad CLI flag gives exactly the API's German message, with exit code 2.
 */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import { registerTypologyCli } from '../../server/cli/typology.js';
import { registerHotspotsCli } from '../../server/cli/hotspots.js';
import { registerMonitoringCli } from '../../server/cli/monitoring.js';
import { typologyRequestSchema } from '../../server/services/typology.js';
import { hotspotRequestSchema } from '../../server/services/hotspot-request.js';
import { jsonSchemaOf } from '../../server/openapi.js';
import { TYPOLOGY_DEFAULTS } from '../../analysis/typology-defaults.js';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import { runCli } from '../helpers/run-cli.js';

// No query may reach the database: a request that does fails the test.
// Only the Db methods fail; optional adapter members (PGlite's writeGeneration) are absent as on the server.
const DB_METHODS = new Set(['query', 'exec', 'transaction', 'close']);
const noDb = new Proxy(
  {},
  {
    get: (_t, prop) => (DB_METHODS.has(String(prop)) ? () => Promise.reject(new Error('database used')) : undefined),
  },
);
const ctx: AppContext = {
  db: noDb as AppContext['db'],
  config: { ...configFromEnv({}), apiToken: 'test-token' },
  log: { info: () => undefined, error: () => undefined },
};
const app = createApp(ctx);
const AUTH = { Authorization: 'Bearer test-token' };
const cli = (...args: string[]) =>
  runCli([registerTypologyCli, registerHotspotsCli, registerMonitoringCli], () => ctx, ...args);

type Operation = {
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: { 'application/json': { schema: unknown } } };
};

describe('OpenAPI document generated from the request schemas', () => {
  it('documents the typology and hotspot bodies as the schemas that validate them, with the shared defaults', async () => {
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body as {
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const typology = doc.paths['/api/typologies'].post.requestBody!.content['application/json'].schema as {
      properties: Record<string, { default?: unknown }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(typology).toEqual(jsonSchemaOf(typologyRequestSchema));
    expect(typology.required).toEqual(['level', 'period', 'indicators']);
    expect(typology.additionalProperties).toBe(false);
    const defaults = Object.fromEntries(
      Object.entries(typology.properties)
        .filter(([, p]) => 'default' in p)
        .map(([k, p]) => [k, p.default]),
    );
    expect(defaults).toEqual({
      standardize: 'z',
      alignPolarity: false,
      missing: 'drop',
      pca: 'none',
      rotation: 'none',
      clusterOn: 'z',
      restarts: 50,
      seed: 1,
      maxIterations: 300,
      tolerance: 1e-4,
      bootstrap: 100,
      bootstrapRestarts: 10,
    });
    expect(defaults.restarts).toBe(TYPOLOGY_DEFAULTS.restarts);

    const hotspot = doc.paths['/api/hotspots'].post.requestBody!.content['application/json'].schema as {
      properties: Record<string, { default?: unknown; maximum?: number }>;
    };
    expect(hotspot).toEqual(jsonSchemaOf(hotspotRequestSchema));
    expect(
      Object.fromEntries(
        Object.entries(hotspot.properties)
          .filter(([, p]) => 'default' in p)
          .map(([k, p]) => [k, p.default]),
      ),
    ).toEqual({
      weights: 'queen',
      permutations: 999,
      seed: 1,
      correction: 'fdr',
      alpha: 0.05,
    });
    expect(hotspot.properties.permutations.maximum).toBe(99_999);
    expect(HOTSPOT_DEFAULTS.permutations).toBe(999);
    expect(JSON.stringify(doc)).not.toContain('$schema');
  });

  it('documents the query and path parameters of these routes from their schemas', async () => {
    const { paths } = (await request(app).get('/api/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const params = (path: string, method = 'get') =>
      paths[path][method].parameters!.map((p) => `${p.in}:${p.name}${p.required ? '!' : ''}:${String(p.schema.type)}`);
    expect(params('/api/typologies')).toEqual(['query:level:string', 'query:period:string']);
    expect(params('/api/typologies/compare')).toEqual(['query:a!:integer', 'query:b!:integer']);
    expect(params('/api/typologies/{id}')).toEqual(['path:id!:integer', 'query:k:integer']);
    expect(params('/api/typologies/{id}', 'delete')).toEqual(['path:id!:integer']);
    expect(params('/api/typologies/{id}/members')).toEqual([
      'path:id!:integer',
      'query:k:integer',
      'query:format:string',
    ]);
    expect(params('/api/jobs/{id}')).toEqual(['path:id!:string']);
    expect(params('/api/hotspots')).toEqual(['query:level:string', 'query:indicator:string']);
    expect(params('/api/hotspots/{id}')).toEqual(['path:id!:integer']);
    expect(params('/api/weights')).toEqual(['query:level!:string', 'query:type:string']);
    const k = paths['/api/typologies/{id}'].get.parameters![1];
    expect(k.schema).toMatchObject({ minimum: 2, maximum: 99 });
    expect(paths['/api/weights'].get.parameters![1].schema.default).toBe('queen');
    // every path parameter of the template is documented, and nothing else is a path parameter
    for (const [path, ops] of Object.entries(paths)) {
      if (!/^\/api\/(typologies|hotspots|weights|jobs)/.test(path)) continue;
      const template = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops))
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(template);
    }
  });
});

describe('CLI flags parsed with the API schemas', () => {
  const typology = ['typology', '--level', 'plr', '--period', '2020-12-31', '--indicators', 'S1,S3'];
  const api = async (path: string, body: object) =>
    (await request(app).post(path).set(AUTH).send(body).expect(400)).body.error.message as string;

  it.each([
    [['--k', '4.5'], { k: 4.5 }, 'Ungültige Angaben: k: k muss ganzzahlig sein'],
    [['--k', '1'], { k: 1 }, 'Ungültige Angaben: k: k muss mindestens 2 sein'],
    [
      ['--standardize', 'magic'],
      { standardize: 'magic' },
      'Ungültige Angaben: standardize: Ungültige Option: erwartet eine von "z"|"robust"|"minmax"',
    ],
    [
      ['--restarts', 'viele'],
      { restarts: 'viele' },
      'Ungültige Angaben: restarts: Ungültige Eingabe: erwartet Zahl, erhalten string',
    ],
    [['--k-range', '5..3'], { kRange: [5, 3] }, 'Ungültige Angaben: kRange: kRange: Anfang ≤ Ende'],
    [
      ['--period', '2020-02-30'],
      { period: '2020-02-30' },
      'Ungültige Angaben: period: Zeitraum als gültiges Datum JJJJ-MM-TT',
    ],
  ])('typology %j: exit 2 with the message POST /api/typologies gives', async (flags, body, message) => {
    const args = [...typology];
    if (flags[0] === '--period') args[4] = flags[1];
    else args.push(...flags);
    const r = await cli(...args);
    expect(r.exitCode).toBe(2);
    expect(r.err).toBe(`Fehler: ${message}`);
    expect(await api('/api/typologies', { level: 'plr', period: '2020-12-31', indicators: 'S1,S3', ...body })).toBe(
      message,
    );
  });

  it.each([
    [
      ['--permutations', '100000'],
      { permutations: 100000 },
      'Ungültige Angaben: permutations: höchstens 99999 Permutationen',
    ],
    [
      ['--correction', 'holm'],
      { correction: 'holm' },
      'Ungültige Angaben: correction: Ungültige Option: erwartet eine von "fdr"|"bonferroni"|"none"',
    ],
    [['--alpha', '1.5'], { alpha: 1.5 }, 'Ungültige Angaben: alpha: Zu groß: erwartet, dass number <1 ist'],
    [
      ['--weights', 'hexagon'],
      { weights: 'hexagon' },
      "Unbekannter Gewichtstyp 'hexagon': erlaubt sind queen, queen:snap=<m>, rook, knn:<k>, distance:<m>",
    ],
  ])('hotspots %j: exit 2 with the message POST /api/hotspots gives', async (flags, body, message) => {
    const r = await cli('hotspots', '--level', 'plr', '--period', '2020-12-31', '--indicator', 'S1', ...flags);
    expect(r.exitCode).toBe(2);
    expect(r.err).toBe(`Fehler: ${message}`);
    expect(await api('/api/hotspots', { level: 'plr', period: '2020-12-31', indicator: 'S1', ...body })).toBe(message);
  });

  it('weights, change and index: a bad flag is the message of the GET the command mirrors', async () => {
    const get = async (url: string) => (await request(app).get(url).expect(400)).body.error.message as string;
    const weights = await cli('weights', '--level', 'plr;', '--type', 'queen');
    expect(weights.exitCode).toBe(2);
    expect(weights.err).toBe(`Fehler: ${await get('/api/weights?level=plr%3B&type=queen')}`);
    expect(weights.err).toMatch(/^Fehler: Ungültige Parameter: level: Ebene: Buchstaben, Ziffern, _ oder -$/);
    const change = await cli(
      'change',
      '--indicator',
      'EW',
      '--level',
      'plr',
      '--from',
      '2021-12-31',
      '--to',
      '2021-13-01',
    );
    expect(change.exitCode).toBe(2);
    expect(change.err).toBe(`Fehler: ${await get('/api/change?indicator=EW&level=plr&from=2021-12-31&to=2021-13-01')}`);
    const index = await cli('index', '--level', 'plr', '--period', '2020-12-31', '--status-cutoffs', '1,2');
    expect(index.exitCode).toBe(2);
    expect(index.err).toBe(`Fehler: ${await get('/api/index?level=plr&period=2020-12-31&statusCutoffs=1,2')}`);
    expect(index.err).toContain('statusCutoffs (hoch, niedrig, sehr niedrig): 3 Zahlen, durch Komma getrennt');
  });

  it('German zod messages: z.config applies the de locale', () => {
    expect(z.number().safeParse('x').error!.issues[0].message).toBe(
      'Ungültige Eingabe: erwartet Zahl, erhalten string',
    );
  });
});
