import { describe, expect, it } from 'vitest';
import { profilePrintUrl } from '../../client/src/print-link.js';

describe('Druckfassung link', () => {
  it('passes the shown period', () => {
    expect(profilePrintUrl({ level: 'plr', code: '01100101', period: '2020-12-31', layer: 'indikator' })).toBe(
      '/profile/plr/01100101?period=2020-12-31',
    );
  });
  it('on the change map: the later period as period, the earlier as since (either order chosen)', () => {
    const base = { level: 'plr', code: '01100101', period: '2024-12-31', layer: 'veraenderung' };
    expect(profilePrintUrl({ ...base, from: '2021-12-31', to: '2024-12-31' })).toBe(
      '/profile/plr/01100101?period=2024-12-31&since=2021-12-31',
    );
    expect(profilePrintUrl({ ...base, from: '2024-12-31', to: '2021-12-31' })).toBe(
      '/profile/plr/01100101?period=2024-12-31&since=2021-12-31',
    );
  });
  it('no since when both ends are the same period (the server refuses since = period) or a map without change', () => {
    expect(
      profilePrintUrl({
        level: 'bzr',
        code: 'A B',
        period: '2022-12-31',
        layer: 'veraenderung',
        from: '2022-12-31',
        to: '2022-12-31',
      }),
    ).toBe('/profile/bzr/A%20B?period=2022-12-31');
    expect(profilePrintUrl({ level: 'plr', code: '1', period: '', layer: 'hotspots', from: 'x', to: 'y' })).toBe(
      '/profile/plr/1',
    );
  });
});
