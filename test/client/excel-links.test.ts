import { describe, expect, it } from 'vitest';
import { changeLinks, rankingLinks, typologyMemberLinks } from '../../client/src/excel-links.js';

describe('Excel download links', () => {
  it('name the API table with format=xlsx and format=csv-de (the file name comes from the server)', () => {
    expect(rankingLinks('S1', 'plr', '2020-12-31')).toEqual([
      {
        label: 'Excel (XLSX)',
        href: '/api/values?indicator=S1&level=plr&period=2020-12-31&format=xlsx',
      },
      {
        label: 'CSV für deutsches Excel',
        href: '/api/values?indicator=S1&level=plr&period=2020-12-31&format=csv-de',
      },
    ]);
    expect(changeLinks('EW_65', 'bzr', '2021-12-31', '2024-12-31').map((l) => l.href)).toEqual([
      '/api/change?indicator=EW_65&level=bzr&from=2021-12-31&to=2024-12-31&format=xlsx',
      '/api/change?indicator=EW_65&level=bzr&from=2021-12-31&to=2024-12-31&format=csv-de',
    ]);
  });

  it('a typology run: the shown k in the URL, none for the run’s own k', () => {
    expect(typologyMemberLinks(7, undefined).map((l) => l.href)).toEqual([
      '/api/typologies/7/members?format=xlsx',
      '/api/typologies/7/members?format=csv-de',
    ]);
    expect(typologyMemberLinks(7, 3)[0].href).toBe('/api/typologies/7/members?k=3&format=xlsx');
  });
});
