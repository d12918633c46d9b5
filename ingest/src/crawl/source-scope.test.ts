import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '@cairn/store';
import { sourceScope } from './crawl-source.js';

const source = (baseUrl: string): SourceRecord =>
  ({
    id: 's',
    name: 's',
    kind: 'web',
    baseUrl,
    publicBaseUrl: null,
    seeds: [],
    include: [],
    exclude: [],
    maxPages: 100,
    crawlDelayMs: 0,
    schedule: null,
    enabled: true,
  }) as unknown as SourceRecord;

describe('sourceScope', () => {
  it('keeps a source to its host, its path and its port', () => {
    const inScope = sourceScope(source('http://127.0.0.1:3431/notes/'));
    expect(inScope('http://127.0.0.1:3431/notes/a/')).toBe(true);
    // Another port on the same address is another site (a page of it was stored in this source).
    expect(inScope('http://127.0.0.1:3430/notes/a/')).toBe(false);
    expect(inScope('http://127.0.0.1:3431/other/')).toBe(false);
    expect(inScope('http://10.0.0.1:3431/notes/a/')).toBe(false);
  });

  it('takes http and https of one host, and www or not, as one site', () => {
    const inScope = sourceScope(source('http://lethain.com/'));
    expect(inScope('https://lethain.com/staff-engineer/')).toBe(true);
    expect(inScope('https://www.lethain.com/staff-engineer/')).toBe(true);
    expect(inScope('https://lethain.com:8443/staff-engineer/')).toBe(false);
  });
});
