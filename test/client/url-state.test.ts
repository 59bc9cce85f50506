import { describe, expect, it } from 'vitest';
import {
  basemapHost,
  basemapQuestion,
  DEFAULT_STATE,
  formatMapView,
  parseMapView,
  parseState,
  serializeState,
  type AppState,
} from '../../client/src/url-state.js';

describe('URL state', () => {
  it('round-trips a full state', () => {
    const s: AppState = {
      ...DEFAULT_STATE,
      view: 'beratung',
      indicator: 'S1',
      period: '2020-12-31',
      layer: 'hotspots',
      method: 'jenks',
      classes: 7,
      run: '12',
      k: 6,
      hotspots: '3',
      hotspotMode: 'lisa',
      area: '01100101',
      map: '13.5/13.38/52.52',
      basemap: 'https://tile.example/{z}/{x}/{y}.png',
      combined: true,
      hotspotOverlay: 95,
    };
    expect(parseState(serializeState(s))).toEqual(s);
    expect(serializeState(s)).toContain('hotueber=95');
  });
  it('keeps the hotspot overlay and its level in the link', () => {
    const s: AppState = { ...DEFAULT_STATE, indicator: 'S4', period: '2020-12-31', hotspots: '7', hotspotOverlay: 99 };
    expect(serializeState(s)).toBe('#ind=S4&zeit=2020-12-31&hot=7&hotueber=99');
    expect(parseState(serializeState(s))).toEqual(s);
    expect(parseState(serializeState({ ...s, hotspotOverlay: 0 })).hotspotOverlay).toBe(0);
    expect(serializeState({ ...s, hotspotOverlay: 0 })).not.toContain('hotueber');
  });
  it('reads a hand-written overlay switch and ignores invalid levels', () => {
    expect(parseState('hotueber=1').hotspotOverlay).toBe(90);
    expect(parseState('hotueber=80').hotspotOverlay).toBe(0);
    expect(parseState('hotueber=').hotspotOverlay).toBe(0);
    expect(parseState('ind=S4').hotspotOverlay).toBe(0);
  });
  it('keeps the shown k of a typology run in the link; 0 (the chosen k) is left out', () => {
    const s: AppState = { ...DEFAULT_STATE, view: 'forschung', run: '7', k: 6 };
    expect(serializeState(s)).toBe('#view=forschung&typ=7&k=6');
    expect(parseState(serializeState(s))).toEqual(s);
    expect(serializeState({ ...s, k: 0 })).toBe('#view=forschung&typ=7');
    expect(parseState('#view=forschung&typ=7').k).toBe(0);
    expect(parseState('k=10').k).toBe(10);
    expect(parseState('k=99').k).toBe(99);
  });
  it('ignores a k that no typology can have', () => {
    for (const bad of ['1', '0', '-3', '4.5', '100', 'sechs', '', '6abc']) expect(parseState(`k=${bad}`).k).toBe(0);
    // A hash change keeps the resolved k when the link names none.
    expect(parseState('typ=7', { ...DEFAULT_STATE, k: 5 }).k).toBe(5);
  });
  it('writes only what differs from the defaults', () => {
    expect(serializeState(DEFAULT_STATE)).toBe('');
    expect(serializeState({ ...DEFAULT_STATE, indicator: 'S4' })).toBe('#ind=S4');
  });
  it('falls back to defaults for invalid values', () => {
    const s = parseState('#view=unsinn&klassen=xyz&n=42&karte=1/2');
    expect(s.view).toBe('planung');
    expect(s.method).toBe('quantile');
    expect(s.classes).toBe(7);
    expect(s.map).toBe('');
  });
  it('keeps leading zeros of area codes', () => {
    expect(parseState('gebiet=01100101').area).toBe('01100101');
  });
  it('parses and formats the map view', () => {
    expect(parseMapView('12/13.4/52.5')).toEqual({ zoom: 12, lon: 13.4, lat: 52.5 });
    expect(parseMapView('30/0/0')).toBeNull();
    expect(formatMapView({ zoom: 11.23456, lon: 13.123456789, lat: 52.987654321 })).toBe('11.23/13.12346/52.98765');
  });
});

describe('basemap from a shared link', () => {
  it('names the host the tiles would come from', () => {
    expect(basemapHost('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('tile.openstreetmap.org');
    expect(basemapHost('https://{a-c}.tiles.example.org:8443/{z}/{x}/{y}.png')).toBe('a.tiles.example.org:8443');
    expect(basemapHost('wms:https://fbinter.stadt-berlin.de/fb/wms/senstadt/k_luftbild2023_true_rgbi|0')).toBe(
      'fbinter.stadt-berlin.de',
    );
    expect(basemapHost('javascript:alert(1)')).toBeNull();
    expect(basemapHost('')).toBeNull();
  });
  it('asks in German, naming the host', () => {
    const q = basemapQuestion('tiles.example.org');
    expect(q).toContain('Grundkarte von tiles.example.org laden?');
    expect(q).toContain('IP-Adresse');
  });
});
