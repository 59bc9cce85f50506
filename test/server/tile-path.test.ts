/**
 * The tile URL parser on its own (no database, no express): tile and TileJSON paths, the layer
 * specs they name with their query defaults, and the 400/404 for malformed or unknown paths.
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../server/http/errors.js';
import { LAYER_INPUT_SOURCE, MAX_ZOOM, parseTileLayer, parseTilePath } from '../../server/http/tile-path.js';

/** The HttpError a call throws (status, message), or a failed expectation. */
function errorOf(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('expected an HttpError');
}

describe('parseTilePath', () => {
  it('splits a tile path into layer segments and z/x/y', () => {
    expect(parseTilePath('areas/10/550/335.pbf')).toEqual({ kind: 'tile', layer: ['areas'], z: 10, x: 550, y: 335 });
    expect(parseTilePath('indicator/S4/2020-12-31/0/0/0.pbf')).toEqual({
      kind: 'tile',
      layer: ['indicator', 'S4', '2020-12-31'],
      z: 0,
      x: 0,
      y: 0,
    });
    expect(parseTilePath(`typology/7/${MAX_ZOOM}/${2 ** MAX_ZOOM - 1}/0.pbf`)).toEqual({
      kind: 'tile',
      layer: ['typology', '7'],
      z: 14,
      x: 16383,
      y: 0,
    });
  });

  it('recognises a TileJSON path and decodes percent-encoded segments', () => {
    expect(parseTilePath('areas.json')).toEqual({ kind: 'tilejson', layer: ['areas'] });
    expect(parseTilePath('indicator/KI_01/2020-12-31.json')).toEqual({
      kind: 'tilejson',
      layer: ['indicator', 'KI_01', '2020-12-31'],
    });
    expect(parseTilePath('indicator/S%34/2020-12-31/1/1/0.pbf').layer).toEqual(['indicator', 'S4', '2020-12-31']);
  });

  it('answers bad z/x/y with 400 naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['areas/15/0/0.pbf', /Zoomstufe 15 außerhalb 0–14/],
      ['areas/2/4/0.pbf', /Kachel 2\/4\/0 außerhalb des Bereichs 0–3/],
      ['areas/2/0/4.pbf', /Kachel 2\/0\/4 außerhalb/],
      ['areas/a/0/0.pbf', /ganze Zahlen sein: a\/0\/0/],
      ['areas/1/0/0.5.pbf', /ganze Zahlen/],
      ['areas/-1/0/0.pbf', /ganze Zahlen/],
      ['areas/1/0/123456789.pbf', /ganze Zahlen/],
      ['areas/%E0%A4%A/0/0.pbf', /Ungültig kodierter Pfad/],
    ];
    for (const [path, message] of cases) {
      const e = errorOf(() => parseTilePath(path));
      expect({ path, status: e.status }).toEqual({ path, status: 400 });
      expect(e.message).toMatch(message);
    }
  });

  it('answers a path that is neither a tile nor a TileJSON with 404', () => {
    for (const path of ['areas/0/0.pbf', 'areas/0/0/0.png', 'areas']) {
      const e = errorOf(() => parseTilePath(path));
      expect({ path, status: e.status }).toEqual({ path, status: 404 });
      expect(e.message).toContain('Unbekannter Kachelpfad');
    }
  });
});

describe('parseTileLayer', () => {
  it('names the layer with its query defaults; levelGiven only when ?level is there', () => {
    expect(parseTileLayer(['areas'], {})).toEqual({ spec: { kind: 'areas', level: '' }, levelGiven: false });
    expect(parseTileLayer(['labels'], { level: 'bzr' })).toEqual({
      spec: { kind: 'labels', level: 'bzr' },
      levelGiven: true,
    });
    expect(parseTileLayer(['indicator', 'S4', '2020-12-31'], {})).toEqual({
      spec: { kind: 'indicator', key: 'S4', period: '2020-12-31', level: '', method: 'quantile', classes: 5 },
      levelGiven: false,
    });
    expect(
      parseTileLayer(['indicator', 'S4', '2020-12-31'], { level: 'plr', method: 'jenks', classes: '7' }).spec,
    ).toEqual({ kind: 'indicator', key: 'S4', period: '2020-12-31', level: 'plr', method: 'jenks', classes: 7 });
    expect(parseTileLayer(['typology', '12'], {})).toEqual({ spec: { kind: 'typology', runId: 12 }, levelGiven: true });
    expect(parseTileLayer(['typology', '12'], { k: '4' }).spec).toEqual({ kind: 'typology', runId: 12, k: 4 });
    expect(parseTileLayer(['hotspots', '3'], {})).toEqual({ spec: { kind: 'hotspots', runId: 3 }, levelGiven: true });
  });

  it('answers malformed keys, periods, run ids and query values with 400', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['indicator', "S4'", '2020-12-31'], {}, /Ungültiger Indikatorschlüssel/],
      [['indicator', 'S4', '2020-02-30'], {}, /Ungültiger Zeitraum '2020-02-30'/],
      [['indicator', 'S4', '2020-12-31'], { classes: '9' }, /classes/],
      [['indicator', 'S4', '2020-12-31'], { method: 'magic' }, /method/],
      [['areas'], { level: 'a b' }, /level/],
      [['typology', 'abc'], {}, /Ungültige Lauf-ID 'abc'/],
      [['hotspots', '0'], {}, /Ungültige Lauf-ID '0'/],
      [['typology', '7'], { k: '1' }, /k muss mindestens 2 sein/],
    ];
    for (const [segments, query, message] of cases) {
      const e = errorOf(() => parseTileLayer(segments, query));
      expect({ segments, status: e.status }).toEqual({ segments, status: 400 });
      expect(e.message).toMatch(message);
    }
  });

  it('answers an unknown layer, or a known one with the wrong number of segments, with 404', () => {
    for (const segments of [
      ['nope'],
      ['areas', 'extra'],
      ['indicator', 'S4'],
      ['typology'],
      ['hotspots', '1', '2'],
      [],
    ]) {
      const e = errorOf(() => parseTileLayer(segments, {}));
      expect({ segments, status: e.status }).toEqual({ segments, status: 404 });
      expect(e.message).toContain('Unbekannte Kachelebene');
    }
  });

  it('places level and k in the query string, everything else in the path', () => {
    expect(LAYER_INPUT_SOURCE).toEqual({ level: 'query', k: 'query', indicator: 'path', period: 'path', run: 'path' });
  });
});
