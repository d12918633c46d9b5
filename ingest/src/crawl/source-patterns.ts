import { RE2JS } from 're2js';
import { CairnError } from '@cairn/core';

/**
 * Matching a web source's `include` and `exclude` patterns against URLs with RE2 (re2js,
 * pure JavaScript), whose time is linear in the URL: a pattern that would backtrack
 * catastrophically in JavaScript's engine (`^(([a-z0-9:/.]+)+)+Z$`) cannot freeze the
 * process that crawls. RE2 has no backreferences and no lookaround, so such a pattern is
 * refused (`invalid_pattern`) when a source is saved, and fails a crawl of a source that
 * has one from before. Patterns are written in JavaScript syntax and translated (named
 * groups, `\u` escapes) before RE2 compiles them.
 */

/**
 * RE2 program size (about one instruction per character class or literal, times each
 * repeat count) above which a pattern is refused: matching time grows with it, and a URL
 * pattern worth writing is far smaller (`/posts/\d{4}/` is 16).
 */
export const maxPatternProgramSize = 500;
/** The same bound on the sum over one list (include or exclude) of a source. */
export const maxPatternListProgramSize = 2000;
/**
 * Time a crawl of one source may spend matching its patterns, in all: linear matching and
 * the size bounds keep it far below (a few microseconds a URL), so passing it means a
 * pattern costs more than it should, and the crawl fails rather than run on.
 */
export const defaultMatchBudgetMs = 10_000;

/** A source pattern that RE2 cannot compile, or one too large to match cheaply. */
export class SourcePatternError extends CairnError {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(
      'invalid_pattern',
      `${JSON.stringify(pattern)} is not a valid regular expression for the crawler (${reason}); patterns use RE2 syntax: no backreferences or lookaround`,
      { details: { pattern, reason } },
    );
    this.name = 'SourcePatternError';
  }
}

/** A compiled source pattern. */
export interface SourcePattern {
  readonly pattern: string;
  /** Whether the pattern matches anywhere in `url` (as RegExp.prototype.test would). */
  test(url: string): boolean;
  /** RE2's measure of the pattern's matching cost. */
  readonly programSize: number;
}

function compileOne(pattern: string): SourcePattern {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (error) {
    throw new SourcePatternError(pattern, (error as Error).message);
  }
  const programSize = compiled.programSize();
  if (programSize > maxPatternProgramSize) {
    throw new SourcePatternError(pattern, `too complex: ${programSize} RE2 instructions, at most ${maxPatternProgramSize}`);
  }
  return { pattern, programSize, test: (url) => compiled.test(url) };
}

/**
 * Compiles one list of a source's patterns (include or exclude) for matching in linear time.
 *
 * @throws SourcePatternError (`invalid_pattern`) for a pattern RE2 cannot compile, one too
 *   complex, or a list too complex in all.
 */
export function compileSourcePatterns(patterns: readonly string[]): SourcePattern[] {
  const compiled = patterns.map(compileOne);
  const total = compiled.reduce((sum, pattern) => sum + pattern.programSize, 0);
  if (total > maxPatternListProgramSize) {
    throw new SourcePatternError(
      patterns.join(' | '),
      `the list is too complex: ${total} RE2 instructions in all, at most ${maxPatternListProgramSize}`,
    );
  }
  return compiled;
}

/**
 * Why a list of source patterns cannot be used, or undefined when it can: what the API
 * checks before it saves a source.
 */
export function sourcePatternsProblem(patterns: readonly string[]): SourcePatternError | undefined {
  try {
    compileSourcePatterns(patterns);
    return undefined;
  } catch (error) {
    if (error instanceof SourcePatternError) return error;
    throw error;
  }
}

/**
 * Whether a URL passes a source's patterns: it matches an include pattern (when there are
 * any) and no exclude pattern. The time spent matching is counted, and past `budgetMs` in
 * all the next match throws `invalid_pattern`: the crawl fails, saying so, rather than
 * spend its time there.
 */
export function sourcePatternFilter(
  source: { include: readonly string[]; exclude: readonly string[] },
  options: { budgetMs?: number; now?: () => number } = {},
): (url: string) => boolean {
  const include = compileSourcePatterns(source.include);
  const exclude = compileSourcePatterns(source.exclude);
  if (include.length === 0 && exclude.length === 0) return () => true;
  const budgetMs = options.budgetMs ?? defaultMatchBudgetMs;
  const now = options.now ?? (() => performance.now());
  let spentMs = 0;
  return (url) => {
    if (spentMs > budgetMs) {
      throw new CairnError(
        'invalid_pattern',
        `Matching URLs against the source's include and exclude patterns took over ${budgetMs} ms in this crawl; simplify the patterns`,
        { details: { spentMs: Math.round(spentMs) } },
      );
    }
    const started = now();
    try {
      if (include.length > 0 && !include.some((pattern) => pattern.test(url))) return false;
      return !exclude.some((pattern) => pattern.test(url));
    } finally {
      spentMs += now() - started;
    }
  };
}
