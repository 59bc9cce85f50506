import { describe, expect, it } from 'vitest';
import { hiddenExplanation, hiddenText } from '../../client/src/hidden-reason.js';
import { shownValue } from '../../client/src/value-text.js';

describe('hidden values name their reason', () => {
  it('words both reasons the server sends', () => {
    expect(hiddenText('population')).toBe('geheim (Einwohnerzahl)');
    expect(hiddenText('secondary')).toBe('geheim (Schutz vor Rückrechnung)');
    expect(hiddenText(null)).toBe('geheim');
    expect(hiddenText('other')).toBe('geheim');
    expect(hiddenExplanation('secondary')).toMatch(/zurückgerechnet/);
    expect(hiddenExplanation(undefined)).toBe('');
  });
  it('shows a row as tooltip and ranking do', () => {
    expect(shownValue({ value: null, suppressed: true, suppressionReason: 'population' }, '%')).toBe(
      'geheim (Einwohnerzahl)',
    );
    expect(shownValue({ value: null, suppressed: true, suppressionReason: 'secondary' }, '%')).toBe(
      'geheim (Schutz vor Rückrechnung)',
    );
    expect(shownValue({ value: 12.34, suppressed: false, incomplete: true }, '%')).toBe('12,3 % (unvollständig)');
    expect(shownValue({ value: 12.34, suppressed: false, incomplete: false }, '%')).toBe('12,3 %');
    expect(shownValue({ value: 385692, suppressed: false }, 'Personen', 'count')).toBe('385.692 Personen');
    expect(shownValue({ value: null, suppressed: false, incomplete: true }, '%')).toBe('–');
  });
});
