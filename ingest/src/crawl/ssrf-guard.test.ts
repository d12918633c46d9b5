import { describe, expect, it } from 'vitest';
import { assertFetchableUrl, forbiddenAddressReason, guardedLookup } from './ssrf-guard.js';

describe('assertFetchableUrl', () => {
  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://0x7f.0.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://localhost:3000/',
    'http://api.localhost/',
    'file:///etc/passwd',
    'gopher://example.com/',
    'http://user:secret@example.com/',
  ])('refuses %s', (url) => {
    expect(() => assertFetchableUrl(url)).toThrowError(/^Refused to fetch/);
  });

  it('accepts public addresses and names', () => {
    expect(assertFetchableUrl('https://lethain.com/staff-engineer/').hostname).toBe('lethain.com');
    expect(assertFetchableUrl('http://93.184.216.34/').hostname).toBe('93.184.216.34');
  });

  it('lets INGEST_ALLOW_PRIVATE_NETWORKS open all private space or named ranges', () => {
    expect(assertFetchableUrl('http://127.0.0.1:8080/', true).port).toBe('8080');
    expect(assertFetchableUrl('http://10.1.2.3/', ['10.0.0.0/8']).hostname).toBe('10.1.2.3');
    expect(() => assertFetchableUrl('http://169.254.169.254/', ['10.0.0.0/8'])).toThrowError(/linkLocal/);
  });
});

describe('forbiddenAddressReason', () => {
  it('names the range it refuses', () => {
    expect(forbiddenAddressReason('100.64.1.1')).toMatch(/carrierGradeNat/);
    expect(forbiddenAddressReason('::ffff:10.0.0.1')).toMatch(/private/);
    expect(forbiddenAddressReason('8.8.8.8')).toBeUndefined();
  });
});

describe('guardedLookup', () => {
  it('refuses a name that resolves to loopback', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (failure) => resolve(failure)));
    expect(error?.message).toMatch(/resolves to .*loopback/);
  });

  it('resolves it when private networks are allowed', async () => {
    const lookup = guardedLookup(true);
    const address = await new Promise<unknown>((resolve) => lookup('localhost', {}, (_failure, result) => resolve(result)));
    expect(address).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
