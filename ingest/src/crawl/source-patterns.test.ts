import { describe, expect, it } from 'vitest';
import { compileSourcePatterns, maxPatternProgramSize, sourcePatternFilter, sourcePatternsProblem } from './source-patterns.js';

const catastrophic = '^(([a-z0-9:/.]+)+)+Z$';

describe('compileSourcePatterns', () => {
  it('matches as RegExp.prototype.test does, for the patterns sources use', () => {
    const urls = [
      'https://example.com/posts/2024/05/planning/',
      'https://example.com/drafts/idea/',
      'https://example.com/tags/?page=2',
      'https://example.com/docs/v2/guide.html',
    ];
    const patterns = [
      '/posts/\\d{4}/',
      '\\/drafts\\/',
      '\\?page=\\d+$',
      '^https://example\\.com/docs/v\\d+/[\\w-]+\\.html$',
      '(?<section>posts|docs)/',
    ];
    for (const [index, compiled] of compileSourcePatterns(patterns).entries()) {
      const native = new RegExp(patterns[index]!);
      for (const url of urls) expect(compiled.test(url), `${patterns[index]} on ${url}`).toBe(native.test(url));
    }
  });

  it('matches a catastrophically backtracking pattern in linear time', () => {
    const [pattern] = compileSourcePatterns([catastrophic]);
    const url = `http://127.0.0.1:8080/${'a/'.repeat(1000)}`;
    const started = performance.now();
    for (let round = 0; round < 100; round += 1) expect(pattern!.test(url + round)).toBe(false);
    // RegExp takes longer than a test's timeout on 30 characters of this.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses backreferences, lookaround, bad syntax and patterns too complex, with invalid_pattern', () => {
    for (const pattern of ['(a)\\1', '(?=posts)', '(?!drafts)', '(?<=x)y', '(unclosed', '[a-z']) {
      expect(sourcePatternsProblem([pattern]), pattern).toMatchObject({
        code: 'invalid_pattern',
        pattern,
        message: expect.stringMatching(/not a valid regular expression/),
      });
    }
    expect(sourcePatternsProblem(['[a-z]{1001}'])?.message).toMatch(/repeat count/);
    expect(sourcePatternsProblem(['\\w{600}'])?.message).toMatch(new RegExp(`too complex.*at most ${maxPatternProgramSize}`));
    expect(sourcePatternsProblem(Array.from({ length: 10 }, (_, index) => `\\w{300}${index}`))?.message).toMatch(/list is too complex/);
    expect(sourcePatternsProblem([catastrophic, '/posts/', '\\.html$'])).toBeUndefined();
  });
});

describe('sourcePatternFilter', () => {
  it('admits a URL matching an include pattern (if any) and no exclude pattern', () => {
    const admits = sourcePatternFilter({ include: ['/posts/', '/blog/'], exclude: ['/drafts/'] });
    expect(admits('https://example.com/posts/a/')).toBe(true);
    expect(admits('https://example.com/posts/drafts/a/')).toBe(false);
    expect(admits('https://example.com/about/')).toBe(false);
    expect(sourcePatternFilter({ include: [], exclude: [] })('https://example.com/anything')).toBe(true);
  });

  it('throws invalid_pattern once the crawl has spent its matching budget', () => {
    let clock = 0;
    const admits = sourcePatternFilter({ include: ['/posts/'], exclude: [] }, { budgetMs: 100, now: () => (clock += 60) });
    expect(admits('https://example.com/posts/a/')).toBe(true);
    expect(admits('https://example.com/posts/b/')).toBe(true);
    expect(() => admits('https://example.com/posts/c/')).toThrow(expect.objectContaining({ code: 'invalid_pattern' }));
  });
});
