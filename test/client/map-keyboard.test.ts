import { describe, expect, it } from 'vitest';
import { mapKeyAction, selectionAnnouncement } from '../../client/src/map-keyboard.js';
import { installSkipLinks } from '../../client/src/skip-link.js';

describe('keyboard selection on the map', () => {
  it('Enter and Space select; with a modifier or another key nothing happens', () => {
    expect(mapKeyAction('Enter')).toBe('select');
    expect(mapKeyAction(' ')).toBe('select');
    expect(mapKeyAction('Enter', true)).toBeNull();
    expect(mapKeyAction('ArrowUp')).toBeNull(); // panning stays with OpenLayers
    expect(mapKeyAction('+')).toBeNull();
  });

  it('announces the selected area with name and code, or that the centre lies outside every area', () => {
    expect(selectionAnnouncement({ code: '01100415', name: 'Brunnenstraße' })).toBe(
      'Ausgewählt: Brunnenstraße (01100415)',
    );
    expect(selectionAnnouncement(null)).toBe(
      'In der Kartenmitte liegt kein Gebiet. Mit den Pfeiltasten die Karte verschieben.',
    );
  });

  it('skip links are wired on a root without links without error', () => {
    expect(() => installSkipLinks({ querySelectorAll: () => [] } as unknown as ParentNode)).not.toThrow();
  });
});
