import { describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { CairnError } from '@cairn/core';
import { assertFetchableUrl, forbiddenAddressReason, ForbiddenUrlError, guardedLookup, type HostResolver } from './ssrf-guard.js';

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
    'http://localhost./',
    'http://LOCALHOST.:3000/',
    'http://[::127.0.0.1]/',
    'http://[::7f00:1]/',
    'http://[fec0::1]/',
    'http://[100::1]/',
    'http://[5f00::1]/',
    'http://[4000::1]/',
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

  it('refuses with a coded error (forbidden) that carries the URL and the reason', () => {
    const refusal = (() => {
      try {
        assertFetchableUrl('http://10.1.2.3/');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ForbiddenUrlError);
    expect(refusal).toBeInstanceOf(CairnError);
    expect(refusal).toMatchObject({
      code: 'forbidden',
      statusCode: 403,
      url: 'http://10.1.2.3/',
      reason: expect.stringMatching(/private address/),
    });
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

  it('refuses the IPv6 that ipaddr.js calls unicast but no public host has', () => {
    expect(forbiddenAddressReason('::a00:1')).toMatch(/ipv4Compatible/);
    expect(forbiddenAddressReason('e000::1')).toMatch(/nonGlobalIpv6/);
    expect(forbiddenAddressReason('fec0::1')).toMatch(/deprecatedSiteLocal/);
    expect(forbiddenAddressReason('2606:4700:4700::1111')).toBeUndefined();
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

  /** A resolver that answers every name with `addresses`. */
  const answering =
    (...addresses: string[]): HostResolver =>
    (_hostname, _options, callback) =>
      callback(
        null,
        addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  const lookUp = (resolver: HostResolver, options: { all?: boolean } = {}) =>
    new Promise<{ error: NodeJS.ErrnoException | null; result: unknown }>((resolve) =>
      guardedLookup(false, resolver)('site.test', options, (error, result) => resolve({ error, result })),
    );

  it('checks every address the given resolver answers, not only the first', async () => {
    const { error } = await lookUp(answering('93.184.216.34', '10.0.0.5'));
    expect(error).toMatchObject({
      code: 'ERR_FORBIDDEN_ADDRESS',
      message: expect.stringMatching(/site\.test: it resolves to 10\.0\.0\.5 is a private address/),
    });
    expect(error?.cause).toBeInstanceOf(ForbiddenUrlError);
    expect(error?.cause).toMatchObject({ code: 'forbidden', url: 'site.test' });
    expect(await lookUp(answering('93.184.216.34', '2606:4700:4700::1111'), { all: true })).toEqual({
      error: null,
      result: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700:4700::1111', family: 6 },
      ],
    });
  });

  it('fails a name the resolver answers with no address', async () => {
    expect((await lookUp(answering())).error).toMatchObject({ code: 'ENOTFOUND' });
  });
});
