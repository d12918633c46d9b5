import { describe, expect, it } from 'vitest';
import { checkSchedule, checkSourceSettings, checkUrl } from './check-source-settings.js';

const codeOf = (check: () => void) => {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('checkSchedule', () => {
  it('takes five-field cron expressions in range, as BullMQ runs them', () => {
    for (const schedule of ['0 3 * * *', '*/15 * * * *', '0 6 * * 1-5', '0 0 * * 7', '0 12 * * MON', '0 0 29 2 *'])
      expect(
        codeOf(() => checkSchedule(schedule)),
        schedule,
      ).toBeUndefined();
  });

  it('refuses fields out of range, zero steps, days that never come and words', () => {
    for (const schedule of [
      '99 99 99 99 99',
      '60 * * * *',
      '0 24 * * *',
      '0 0 0 * *',
      '0 0 * 13 *',
      '0 0 * * 8',
      '*/0 * * * *',
      '0 0 31 4 *',
      'a b c d e',
      // Not five fields: seconds first (cron-parser and BullMQ would take it), four, none.
      '* * * * * *',
      '0 3 * *',
      '   ',
    ])
      expect(
        codeOf(() => checkSchedule(schedule)),
        schedule,
      ).toBe('invalid_schedule');
  });
});

describe('checkUrl', () => {
  it('takes http and https URLs with a host', () => {
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/feed', 'https://[::1]/x', 'https://ünïcode.example/'])
      expect(
        codeOf(() => checkUrl(url, 'body.baseUrl')),
        url,
      ).toBeUndefined();
  });

  it('refuses what does not parse, other schemes, URLs without a host and URLs with credentials', () => {
    for (const url of [
      'http://',
      'https://',
      'http://a b/',
      'http://[::1/',
      'http://:80/',
      'http://a:99999/',
      'ftp://example.com/',
      'file:///etc/passwd',
      'https://user:secret@example.com/',
      'https://token@example.com/blog/',
    ])
      expect(
        codeOf(() => checkUrl(url, 'body.baseUrl')),
        url,
      ).toBe('invalid_url');
  });

  it('checks the baseUrl, each seed and the schedule of a source, and leaves out what is not set', () => {
    expect(codeOf(() => checkSourceSettings({}))).toBeUndefined();
    expect(codeOf(() => checkSourceSettings({ schedule: null }))).toBeUndefined();
    expect(codeOf(() => checkSourceSettings({ seeds: ['https://example.com/', 'http://'] }))).toBe('invalid_url');
    expect(codeOf(() => checkSourceSettings({ schedule: '0 0 * * 9' }))).toBe('invalid_schedule');
  });
});
