import { describe, expect, it } from 'vitest';
import { parsePublishedDate } from './parse-published-date.js';

describe('parsePublishedDate', () => {
  it.each([
    ['2023-04-11', '2023-04-11T00:00:00.000Z'],
    ['2023-04-11T08:00:00-07:00', '2023-04-11T15:00:00.000Z'],
    ['2023-04-11T08:00:00Z', '2023-04-11T08:00:00.000Z'],
    ['2023-04-11T08:00:00.250+0200', '2023-04-11T06:00:00.250Z'],
    ['2023-04-11T08:00', '2023-04-11T08:00:00.000Z'],
    ['2023-04-11 08:00:00 +0000 UTC', '2023-04-11T08:00:00.000Z'],
    ['2023/4/11', '2023-04-11T00:00:00.000Z'],
    ['April 11, 2023', '2023-04-11T00:00:00.000Z'],
    ['Apr 11 2023', '2023-04-11T00:00:00.000Z'],
    ['Sept. 7th, 2019', '2019-09-07T00:00:00.000Z'],
    ['Tuesday, April 11, 2023', '2023-04-11T00:00:00.000Z'],
    ['11 Apr 2023', '2023-04-11T00:00:00.000Z'],
    ['07 Sep 2021', '2021-09-07T00:00:00.000Z'],
    ['Posted on March 3, 2020', '2020-03-03T00:00:00.000Z'],
    ['  2023-04-11\n', '2023-04-11T00:00:00.000Z'],
  ])('reads %j', (text, expected) => {
    expect(parsePublishedDate(text)?.toISOString()).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['yesterday', 'free text'],
    ['2021-02-30', 'an impossible day'],
    ['2023-13-01', 'an impossible month'],
    ['2023-04-11T25:00:00Z', 'an impossible hour'],
    ['2023-04-11T08:00:00+15:00', 'an impossible offset'],
    ['Marching 3, 2020', 'a word that starts like a month'],
    ['Ma 3, 2020', 'a month abbreviation too short to be one'],
    ['1681200000', 'a bare number'],
    ['04/11/2023', 'an ambiguous day and month'],
  ])('gives null for %j (%s)', (text) => {
    expect(parsePublishedDate(text)).toBeNull();
  });

  it('gives null for null and undefined', () => {
    expect(parsePublishedDate(null)).toBeNull();
    expect(parsePublishedDate(undefined)).toBeNull();
  });
});
