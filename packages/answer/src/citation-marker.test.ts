import { describe, expect, it } from 'vitest';
import { citationMarkerPattern, citationMarkerWithSpaceBeforePattern, containsCitationMarker } from './citation-marker.js';

const markersIn = (text: string) => [...text.matchAll(citationMarkerPattern)].map((match) => [match[0], match[1]]);

describe('citationMarkerPattern', () => {
  it('matches one number or a list of them, giving the numbers as written', () => {
    expect(markersIn('A [1] b [12] c [1, 2] d [1,2] e [3 ,4]')).toEqual([
      ['[1]', '1'],
      ['[12]', '12'],
      ['[1, 2]', '1, 2'],
      ['[1,2]', '1,2'],
      ['[3 ,4]', '3 ,4'],
    ]);
  });

  it('matches adjacent markers one by one, without the space before them', () => {
    expect(markersIn('Claim [1][3].')).toEqual([
      ['[1]', '1'],
      ['[3]', '3'],
    ]);
    expect(markersIn(' [12]')).toEqual([['[12]', '12']]);
  });

  it('allows a line break around a comma of a list', () => {
    expect(markersIn('[1,\n2]')).toEqual([['[1,\n2]', '1,\n2']]);
  });

  it('matches nothing that is not numbers in brackets', () => {
    for (const text of ['[a]', '[1.5]', '[ 1]', '[1 ]', '[1,]', '[,1]', '[]', '[1a]', '(1)']) expect(markersIn(text), text).toEqual([]);
  });

  it('takes markers out of a text, and leaves the rest', () => {
    expect('Start [1], then [2, 3] and [note].'.replace(citationMarkerPattern, '')).toBe('Start , then  and [note].');
  });
});

describe('citationMarkerWithSpaceBeforePattern', () => {
  it('takes the white space before a marker with it', () => {
    expect('Claim [9].'.replace(citationMarkerWithSpaceBeforePattern, '')).toBe('Claim.');
    expect('Claim\n [1, 2] [3]'.replace(citationMarkerWithSpaceBeforePattern, '')).toBe('Claim');
    expect('Claim [1.5] [a]'.replace(citationMarkerWithSpaceBeforePattern, '')).toBe('Claim [1.5] [a]');
  });

  it('gives the numbers in group 1', () => {
    expect([...'A [1][3] b [4, 5]'.matchAll(citationMarkerWithSpaceBeforePattern)].map((match) => [match[0], match[1]])).toEqual([
      [' [1]', '1'],
      ['[3]', '3'],
      [' [4, 5]', '4, 5'],
    ]);
  });
});

describe('containsCitationMarker', () => {
  it('says whether a text carries a marker, the same however often it is asked', () => {
    expect(containsCitationMarker('As shown in [7], it works.')).toBe(true);
    expect(containsCitationMarker('As shown in [7], it works.')).toBe(true);
    expect(containsCitationMarker('See [1, 2].')).toBe(true);
    expect(containsCitationMarker('An array [i] or a version [1.5].')).toBe(false);
  });
});
