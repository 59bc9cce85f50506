import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatMapView, parseMapView, parseState, serializeState, type AppState } from '../../client/src/url-state.js';

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
      hotspots: '3',
      hotspotMode: 'lisa',
      area: '01100101',
      map: '13.5/13.38/52.52',
      basemap: 'https://tile.example/{z}/{x}/{y}.png',
      combined: true,
    };
    expect(parseState(serializeState(s))).toEqual(s);
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
