import { describe, expect, it } from 'vitest';
import {
  bodyOf,
  bodyWithoutSummary,
  citationNumbers,
  citedPassageOverlap,
  normaliseQuestion,
  questionsAsked,
  sentencesOf,
  sourcesListLines,
  summaryOf,
  textSimilarity,
} from './answer-text.js';

const extractive = [
  "**What I understood:** you're asking how to size your team.",
  '',
  '**What the sources say**',
  '- Keep teams between six and eight engineers. [1]',
  '- A thought-partner question: "What would change if the team split?" [2]',
  '',
  '**Before I go further:** What constraints are you working within? What have you already tried?',
  '',
  '**Sources**',
  '[1] Note: "Sizing engineering teams", summarising Will Larson, starter-notes: https://lethain.com/sizing-engineering-teams/',
  '[2] "Team leader Venn diagram", Lara Hogan, larahogan: https://larahogan.me/blog/team-leader-venn-diagram/',
].join('\n');

describe('reading an answer', () => {
  it('finds the citation numbers, lists included', () => {
    expect(citationNumbers('One [1]. Two [2, 3] and [4][5].')).toEqual([1, 2, 3, 4, 5]);
    expect(citationNumbers('No [a] or [1.5] markers.')).toEqual([]);
  });

  it('separates the body from a printed sources list', () => {
    expect(sourcesListLines(extractive)).toHaveLength(3);
    expect(bodyOf(extractive)).not.toMatch(/Sources|https:/);
    expect(bodyOf(extractive)).toMatch(/^\*\*What I understood/);
    expect(sourcesListLines('A claim [1].\n\nSee also the sources on the right.')).toEqual([]);
  });

  it('finds a labelled summary, an unlabelled one, or none', () => {
    expect(summaryOf(extractive)).toBe("you're asking how to size your team.");
    expect(summaryOf("It sounds like you're a new director of six teams.\n\nStart by listening [1].")).toBe(
      "It sounds like you're a new director of six teams.",
    );
    expect(summaryOf('Start by listening [1].')).toBeUndefined();
    expect(bodyWithoutSummary(extractive)).not.toContain('you’re asking');
    expect(bodyWithoutSummary(extractive)).not.toContain("you're asking");
  });

  it('splits sentences as the composer does: not before a word in lower case, nor after an abbreviation', () => {
    const sentences = sentencesOf('- The question "how do we measure it?" eventually comes up. [1] Use one (e.g. lead time). [2]');
    expect(sentences.map((sentence) => sentence.text)).toEqual([
      'The question "how do we measure it?" eventually comes up. [1]',
      'Use one (e.g. lead time). [2]',
    ]);
  });

  it('splits sentences with their markers, knowing list items and headings', () => {
    const sentences = sentencesOf('**Points**\n- First point. [1] It follows. [2]\nProse here? Yes.');
    expect(sentences.map((sentence) => sentence.text)).toEqual([
      '**Points**',
      'First point. [1]',
      'It follows. [2]',
      'Prose here?',
      'Yes.',
    ]);
    expect(sentences[1]).toMatchObject({ markers: [1], listItem: true, afterHeading: true, indexInLine: 0 });
    expect(sentences[2]).toMatchObject({ markers: [2], indexInLine: 1 });
    expect(sentences[3]).toMatchObject({ listItem: false, afterHeading: false, markers: [] });
  });

  it('lists the questions asked of the user once each, not quoted or cited ones', () => {
    const questions = questionsAsked({
      answer: extractive,
      citations: [],
      outcome: 'answered',
      clarifyingQuestions: ['What constraints are you working within?'],
    });
    expect(questions).toEqual(['What constraints are you working within?', 'What have you already tried?']);
    const suggestion = { answer: 'In the 1:1, you might ask: what would make this easier for you?', citations: [], outcome: 'answered' };
    expect(questionsAsked(suggestion)).toEqual([]);
  });

  it('normalises questions for comparison', () => {
    expect(normaliseQuestion('**Before I go further:** How large is the team of 12?')).toBe(
      normaliseQuestion('how large is the team of 40'),
    );
    expect(normaliseQuestion('What have you tried?')).not.toBe(normaliseQuestion('What have you measured?'));
  });

  it('measures how alike two answers and their passages are', () => {
    expect(textSimilarity(extractive, extractive)).toBe(1);
    expect(textSimilarity(extractive, 'Something else entirely about feedback and 1:1s.')).toBeLessThan(0.1);
    const a = [
      { n: 1, author: 'A', chunkId: 'x' },
      { n: 2, author: 'A', chunkId: 'y' },
    ];
    expect(citedPassageOverlap(a, a)).toBe(1);
    expect(citedPassageOverlap(a, [{ n: 1, author: 'A', chunkId: 'y' }])).toBe(0.5);
    expect(citedPassageOverlap([], [])).toBe(0);
  });
});
