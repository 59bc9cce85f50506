/**
 * Folding of street names and search input (analysis/text-fold.ts): umlauts, their transliteration
 * and the bare vowel meet; "straße"/"strasse"/"str."/"str" are one form; spaces and hyphens vanish;
 * a trailing house number with suffix or range is split off.
 */
import { describe, expect, it } from 'vitest';
import { foldText, formatHouseNumber, parseAddress, searchKey } from '../../analysis/text-fold.js';

describe('foldText', () => {
  it('writes umlauts as ae/oe/ue and ß as ss, drops other accents, spaces, hyphens and dots', () => {
    expect(foldText('Kurfürstendamm')).toBe('kurfuerstendamm');
    expect(foldText('Französisch Buchholz')).toBe('franzoesischbuchholz');
    expect(foldText('Alt-Hohenschönhausen')).toBe('althohenschoenhausen');
    expect(foldText('Jean-Jaurès-Straße')).toBe('jeanjauresstr');
    expect(foldText('Ärztehaus Übersee Öl')).toBe('aerztehausueberseeoel');
  });
  it('makes "straße", "strasse", "str." and "str" one form', () => {
    for (const s of [
      'Ackerstraße',
      'Ackerstrasse',
      'Ackerstr.',
      'ackerstr',
      'ACKERSTRASSE',
      'Acker Straße',
      'Acker-Str.',
    ])
      expect(foldText(s), s).toBe('ackerstr');
    expect(foldText('Straße des 17. Juni')).toBe('strdes17juni');
  });
});

describe('searchKey', () => {
  it('lets umlaut, transliteration and bare vowel meet', () => {
    const key = searchKey('Stülerstraße');
    expect(key).toBe('stulerstr');
    for (const s of ['Stulerstrasse', 'Stuelerstrasse', 'stülerstr.', 'Stüler Straße', 'STUELER-STR'])
      expect(searchKey(s), s).toBe(key);
    expect(searchKey('Kurfürstendamm')).toBe(searchKey('Kurfuerstendamm'));
    expect(searchKey('Kurfürstendamm')).toBe(searchKey('kurfurstendamm'));
    expect(searchKey('Köpenick')).toBe('kopenick');
  });
  it('is empty for text without letters or digits', () => {
    expect(searchKey(' - . ')).toBe('');
  });
});

describe('parseAddress', () => {
  it('splits street and house number with suffix, in any spacing and case', () => {
    expect(parseAddress('Ackerstraße 1B')).toEqual({ street: 'Ackerstraße', number: { from: 1, to: 1, suffix: 'b' } });
    expect(parseAddress('ackerstr 1 b')).toEqual({ street: 'ackerstr', number: { from: 1, to: 1, suffix: 'b' } });
    expect(parseAddress('Ackerstr. 10')).toEqual({ street: 'Ackerstr.', number: { from: 10, to: 10, suffix: null } });
    expect(parseAddress('Sonnenallee, 221')).toEqual({
      street: 'Sonnenallee',
      number: { from: 221, to: 221, suffix: null },
    });
  });
  it('reads a range of numbers', () => {
    expect(parseAddress('Ackerstraße 1-3')).toEqual({
      street: 'Ackerstraße',
      number: { from: 1, to: 3, suffix: null },
    });
    expect(parseAddress('Ackerstraße 1 – 3')).toEqual({
      street: 'Ackerstraße',
      number: { from: 1, to: 3, suffix: null },
    });
    expect(parseAddress('Ackerstraße 3-1')).toBeNull();
  });
  it('is null without street text before the number (a postcode or a code) or without a number', () => {
    expect(parseAddress('10115')).toBeNull();
    expect(parseAddress('01100415')).toBeNull();
    expect(parseAddress('Ackerstraße')).toBeNull();
    expect(parseAddress('Kreuzberg')).toBeNull();
  });
  it('also reads a street name that ends in a number as street + number (the caller keeps the whole text too)', () => {
    expect(parseAddress('Straße 59')).toEqual({ street: 'Straße', number: { from: 59, to: 59, suffix: null } });
  });
});

describe('formatHouseNumber', () => {
  it('writes number and suffix together', () => {
    expect(formatHouseNumber(1, 'B')).toBe('1B');
    expect(formatHouseNumber(12, null)).toBe('12');
    expect(formatHouseNumber(null, null)).toBe('');
  });
});
