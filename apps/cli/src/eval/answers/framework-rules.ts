import { frameworkKey, specAuthorOf } from './answer-set.js';
import { bodyOf, citationNumbers, type CitationLike, type EvaluatedAnswer } from './answer-text.js';
import { fail, notApplicable, pass, type TurnRule, type TurnUnderTest, type Verdict } from './rule.js';

/** A `**Name** (Author)` line of an answer: the framework, the author it names, and the citations on that line. */
export interface FrameworkLine {
  name: string;
  authors: string[];
  markers: number[];
  line: string;
}

/** `**Name** (Author)`, optionally followed by a colon; the author part may name several people. */
const frameworkLinePattern = /\*\*([^*\n]{2,80})\*\*\s*\(([^()\n]{2,80})\)/;

/** Whether a parenthesis names people (capitalised words), not a note like "(optional)" or "(2019)". */
function namesPeople(text: string): boolean {
  return /^\s*(?:[A-Z][\p{L}'’.-]+\s+)+[A-Z][\p{L}'’.-]+\s*(?:(?:,|&|and)\s*(?:[A-Z][\p{L}'’.-]+\s+)+[A-Z][\p{L}'’.-]+\s*)*$/u.test(text);
}

/** The answer's `**Name** (Author)` lines (outside the sources list), each with the citation numbers on it. */
export function frameworkLines(answer: string): FrameworkLine[] {
  const lines: FrameworkLine[] = [];
  for (const line of bodyOf(answer).split('\n')) {
    const match = frameworkLinePattern.exec(line);
    if (!match || !namesPeople(match[2]!)) continue;
    lines.push({
      name: match[1]!.trim(),
      authors: match[2]!
        .split(/,|&|\band\b/)
        .map((author) => author.trim())
        .filter(Boolean),
      markers: citationNumbers(line.slice(match.index + match[0].length)),
      line: line.trim(),
    });
  }
  return lines;
}

const sameAuthor = (a: string, b: string) => a.toLowerCase().replace(/\s+/g, ' ').trim() === b.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Framework–author consistency: each `**Name** (Author)` line cites only passages by that
 * author (its `[n]` looked up in `citations`), and names the author the spec gives the
 * framework. A line citing a number with no citation, or a passage without an author, fails.
 */
export function checkFrameworkAuthors(result: Pick<EvaluatedAnswer, 'answer' | 'citations'>): Verdict {
  const lines = frameworkLines(result.answer);
  if (lines.length === 0) return notApplicable;
  const byNumber = new Map<number, CitationLike>(result.citations.map((citation) => [citation.n, citation]));
  const problems: string[] = [];
  for (const line of lines) {
    const specAuthor = specAuthorOf(line.name);
    if (specAuthor && !line.authors.some((author) => sameAuthor(author, specAuthor))) {
      problems.push(`${line.name} is ${specAuthor}'s, not ${line.authors.join(', ')}'s`);
    }
    for (const n of line.markers) {
      const citation = byNumber.get(n);
      if (!citation) problems.push(`${line.name} cites [${n}], which is not among the citations`);
      else if (!citation.author) problems.push(`${line.name} (${line.authors.join(', ')}) cites [${n}], a passage with no author`);
      else if (!line.authors.some((author) => sameAuthor(author, citation.author!))) {
        problems.push(`${line.name} (${line.authors.join(', ')}) cites [${n}] by ${citation.author}`);
      }
    }
  }
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

/** The frameworks an answer applies: its `frameworks` field when the pipeline reports one, else its `**Name** (Author)` lines. */
export function frameworksApplied(result: EvaluatedAnswer): string[] {
  if (result.frameworks) return result.frameworks.map((framework) => (typeof framework === 'string' ? framework : framework.name));
  return frameworkLines(result.answer).map((line) => line.name);
}

/** The expected frameworks: at least one of `frameworksAnyOf`, none of `frameworksNoneOf`. */
export function checkExpectedFrameworks(turn: Pick<TurnUnderTest, 'turn' | 'result'>): Verdict {
  const { frameworksAnyOf, frameworksNoneOf } = turn.turn.expect;
  if (!frameworksAnyOf && !frameworksNoneOf) return notApplicable;
  const applied = frameworksApplied(turn.result);
  const keys = new Set(applied.map(frameworkKey));
  const problems: string[] = [];
  if (frameworksAnyOf && !frameworksAnyOf.some((name) => keys.has(frameworkKey(name)))) {
    problems.push(`none of ${frameworksAnyOf.join(', ')} (applied: ${applied.join(', ') || 'none'})`);
  }
  const unwanted = (frameworksNoneOf ?? []).filter((name) => keys.has(frameworkKey(name)));
  if (unwanted.length > 0) problems.push(`applies ${unwanted.join(', ')}, which do not fit`);
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

export const frameworkAuthorRule: TurnRule = {
  id: 'framework-author',
  description: 'each **Framework** (Author) line cites only that author, and the spec gives the framework to that author',
  check: (turn) => checkFrameworkAuthors(turn.result),
};

export const expectedFrameworksRule: TurnRule = {
  id: 'frameworks',
  description: 'applies one of frameworksAnyOf and none of frameworksNoneOf',
  check: checkExpectedFrameworks,
};
