import { describe, expect, it } from 'vitest';
import { checkExpectedFrameworks, checkFrameworkAuthors, frameworkLines, frameworksApplied } from './framework-rules.js';

const citations = [
  { n: 1, author: 'Lara Hogan', title: 'Sponsorship versus mentorship' },
  { n: 2, author: 'Will Larson', title: 'Managing staff-plus engineers' },
  { n: 3, author: null, title: 'An unattributed page' },
];

const line = (text: string) => `**What I understood:** you want to grow a senior engineer.\n\n**Frameworks that apply**\n${text}`;

describe('framework–author consistency', () => {
  it('passes a line that cites its own author', () => {
    const answer = line('- **Sponsorship vs Mentorship** (Lara Hogan): sponsors advocate in rooms you are not in. Mentors advise. [1]');
    expect(checkFrameworkAuthors({ answer, citations })).toEqual({ status: 'pass' });
  });

  it("fails the issue's line: Lara Hogan's framework citing a Will Larson passage", () => {
    const answer = line(
      '- **Sponsorship vs Mentorship** (Lara Hogan): sponsors advocate for you. Staff engineers get pulled into escalations. [2]',
    );
    const verdict = checkFrameworkAuthors({ answer, citations });
    expect(verdict.status).toBe('fail');
    expect(verdict.status === 'fail' && verdict.detail).toMatch(/cites \[2\] by Will Larson/);
  });

  it('fails a line naming another author than the spec gives the framework', () => {
    const answer = line('- **BICEPS** (Will Larson): six core needs. [2]');
    const verdict = checkFrameworkAuthors({ answer, citations });
    expect(verdict.status === 'fail' && verdict.detail).toMatch(/Lara Hogan's, not Will Larson's/);
  });

  it('fails a line citing a number with no citation, or a passage with no author', () => {
    expect(
      checkFrameworkAuthors({ answer: line('- **Feedback Equation** (Lara Hogan): observation, impact. [9]'), citations }).status,
    ).toBe('fail');
    expect(
      checkFrameworkAuthors({ answer: line('- **Feedback Equation** (Lara Hogan): observation, impact. [3]'), citations }).status,
    ).toBe('fail');
  });

  it('does not apply without framework lines, and reads neither the sources list nor a non-author parenthesis', () => {
    expect(checkFrameworkAuthors({ answer: 'Sponsors advocate for you [1].', citations }).status).toBe('na');
    expect(frameworkLines('**Note** (optional): read this. [2]')).toEqual([]);
    expect(frameworkLines('A point [1].\n\n**Sources**\n**Staff Archetypes** (Lara Hogan) [1]')).toEqual([]);
    expect(frameworkLines('- **Trunk and Branches** (Will Larson, Lara Hogan): a trunk. [1][2]')[0]).toMatchObject({
      name: 'Trunk and Branches',
      authors: ['Will Larson', 'Lara Hogan'],
      markers: [1, 2],
    });
  });
});

describe('expected frameworks', () => {
  const answer = line('- **Staff Archetypes** (Will Larson): four shapes. Solvers go deep. [2]');
  const turn = (expect: object, result: object = {}) => ({
    turn: { question: 'q', expect },
    result: { answer, citations, outcome: 'answered', ...result },
  });

  it('reads the frameworks field when the pipeline reports one, else the lines', () => {
    expect(frameworksApplied({ answer, citations, outcome: 'answered' })).toEqual(['Staff Archetypes']);
    expect(frameworksApplied({ answer, citations, outcome: 'answered', frameworks: ['BICEPS'] })).toEqual(['BICEPS']);
    expect(frameworksApplied({ answer, citations, outcome: 'answered', frameworks: [{ name: 'Feedback Equation' }] })).toEqual([
      'Feedback Equation',
    ]);
  });

  it('passes one of frameworksAnyOf, by any spelling, and fails none of them', () => {
    expect(checkExpectedFrameworks(turn({ frameworksAnyOf: ['Staff Archetypes', 'BICEPS'] })).status).toBe('pass');
    expect(checkExpectedFrameworks(turn({ frameworksAnyOf: ['BICEPS'] }, { frameworks: ['BICEPS core needs'] })).status).toBe('pass');
    expect(checkExpectedFrameworks(turn({ frameworksAnyOf: ['Feedback Equation'] })).status).toBe('fail');
  });

  it('fails a framework of frameworksNoneOf, and does not apply without expectations', () => {
    expect(checkExpectedFrameworks(turn({ frameworksNoneOf: ['Staff Archetypes'] })).status).toBe('fail');
    expect(checkExpectedFrameworks(turn({ frameworksNoneOf: ['Trunk and Branches'] })).status).toBe('pass');
    expect(checkExpectedFrameworks(turn({})).status).toBe('na');
  });
});
