import { describe, expect, it } from 'vitest';
import { stripSiteName } from './strip-site-name.js';

describe('stripSiteName', () => {
  it('strips a known site name from either end', () => {
    expect(stripSiteName('Decisions that stick | Irrational Exuberance', 'Irrational Exuberance')).toBe('Decisions that stick');
    expect(stripSiteName('Irrational Exuberance - Decisions that stick', 'irrational exuberance')).toBe('Decisions that stick');
  });

  it('leaves a title that is only the site name', () => {
    expect(stripSiteName('StaffEng', 'StaffEng')).toBe('StaffEng');
  });

  it('does not guess without being asked (og:title rarely carries the site)', () => {
    expect(stripSiteName('Feedback that lands | Lara Hogan', null)).toBe('Feedback that lands | Lara Hogan');
  });

  it.each([
    ['Feedback that lands | Lara Hogan', 'Feedback that lands'],
    ['A | B | Site', 'A | B'],
    ['Running on-call without burning out — Jack Danger', 'Running on-call without burning out'],
    ['Staff archetypes - StaffEng', 'Staff archetypes'],
    ['Migrations - the only scalable way to pay down debt', 'Migrations - the only scalable way to pay down debt'],
    ['On-call health', 'On-call health'],
    ['  Spaced   out  |  Site ', 'Spaced out'],
  ])('guesses the site name in %j', (title, expected) => {
    expect(stripSiteName(title, null, { guess: true })).toBe(expected);
  });
});
