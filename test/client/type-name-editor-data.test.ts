import { describe, expect, it } from 'vitest';
import { typeTextsBody, TYPE_NAME_MAX } from '../../client/src/type-name-editor-data.js';

const stored = [
  { type: 1, name: 'Ruhige Wohngebiete', description: 'Viele ältere Menschen.' },
  { type: 2, name: 'Junge Familien', description: '' },
  { type: 3, name: 'Innenstadt', description: 'Viele Zuzüge.' },
];

describe('type-name editor', () => {
  it('sends only the changed types, trimmed, with the k when it is not the chosen one', () => {
    const edited = [
      { type: 1, name: '  Ruhige Wohngebiete ', description: 'Viele ältere Menschen.' }, // only spaces: unchanged
      { type: 2, name: 'Familien mit Kindern', description: ' Viele Kitas. ' },
      { type: 3, name: 'Innenstadt', description: 'Viele Zuzüge.' },
    ];
    expect(typeTextsBody(stored, edited)).toEqual({
      body: { types: [{ type: 2, name: 'Familien mit Kindern', description: 'Viele Kitas.' }] },
      problems: [],
    });
    expect(typeTextsBody(stored, edited, 4).body).toEqual({
      k: 4,
      types: [{ type: 2, name: 'Familien mit Kindern', description: 'Viele Kitas.' }],
    });
  });

  it('refuses empty, too long and duplicate names, and an edit that changes nothing', () => {
    const long = 'x'.repeat(TYPE_NAME_MAX + 1);
    const res = typeTextsBody(stored, [
      { type: 1, name: '   ', description: '' },
      { type: 2, name: long, description: 'd'.repeat(1001) },
      { type: 3, name: 'junge familien', description: '' },
      { type: 4, name: 'Junge Familien', description: '' },
    ]);
    expect(res.body).toBeNull();
    expect(res.problems).toEqual([
      'Typ 1: Der Name darf nicht leer sein.',
      'Typ 2: Der Name ist länger als 120 Zeichen (121).',
      'Typ 2: Die Beschreibung ist länger als 1000 Zeichen (1001).',
      'Typen 3 und 4 haben denselben Namen.',
    ]);
    expect(typeTextsBody(stored, stored)).toEqual({ body: null, problems: ['Nichts geändert.'] });
  });
});
