import { describe, expect, it } from 'vitest';
import { newestRun, publishedFromList } from '../../client/src/published-run.js';
import { formatDistance, nearbyList } from '../../client/src/nearby.js';

describe('the run counselling shows', () => {
  const list = [
    { id: '12', level: 'plr', published: false },
    { id: '9', level: 'bzr', published: false },
    { id: '3', level: 'plr', published: true },
    { id: '10', level: 'plr', published: false },
  ];
  it('is the published run of the level, not the newest', () => {
    expect(publishedFromList(list, 'plr')).toBe('3');
    expect(newestRun(list, 'plr')).toBe('12');
  });
  it('is none on a level without a published run', () => {
    expect(publishedFromList(list, 'bzr')).toBe('');
    expect(publishedFromList(list, 'bez')).toBe('');
  });
  it('is the newest run of the level on a server that does not know publishing', () => {
    const old = list.map(({ id, level }) => ({ id, level }));
    expect(publishedFromList(old, 'plr')).toBe('12');
    expect(publishedFromList(old, 'bez')).toBe('');
  });
});

describe('nearby facilities', () => {
  it('reads a bare or wrapped list, drops entries without name or distance, nearest first', () => {
    const rows = [
      { name: 'Pflegeheim B', address: 'Weg 2', distanceM: 820 },
      { name: 'Pflegeheim A', address: 'Straße 1', distanceM: 140.4, places: 80 },
      { name: '', distanceM: 10 },
      { name: 'ohne Entfernung' },
    ];
    expect(nearbyList(rows).map((f) => [f.name, f.distanceM])).toEqual([
      ['Pflegeheim A', 140.4],
      ['Pflegeheim B', 820],
    ]);
    expect(nearbyList({ facilities: rows })).toHaveLength(2);
    expect(nearbyList({ error: 'x' })).toEqual([]);
  });
  it('words distances plainly', () => {
    expect(formatDistance(0)).toBe('im Gebiet');
    expect(formatDistance(4)).toBe('10 m');
    expect(formatDistance(143)).toBe('140 m');
    expect(formatDistance(994)).toBe('990 m');
    expect(formatDistance(1234)).toBe('1,2 km');
  });
});
