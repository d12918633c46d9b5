import { describe, expect, it } from 'vitest';
import { duration, timeAgo } from './format.js';

describe('format', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  it.each([
    ['2026-11-24T11:59:58Z', 'just now'],
    ['2026-11-24T11:58:00Z', '2 minutes ago'],
    ['2026-11-24T09:00:00Z', '3 hours ago'],
    ['2026-11-23T12:00:00Z', 'yesterday'],
    ['2026-10-10T12:00:00Z', 'last month'],
    ['2026-11-24T14:00:00Z', 'in 2 hours'],
  ])('timeAgo(%s) is %s', (iso, expected) => {
    expect(timeAgo(iso, now)).toBe(expected);
  });

  it.each([
    [850.4, '850 ms'],
    [4210, '4.2 s'],
    [185_000, '3 min 5 s'],
  ])('duration(%d) is %s', (milliseconds, expected) => {
    expect(duration(milliseconds)).toBe(expected);
  });
});
