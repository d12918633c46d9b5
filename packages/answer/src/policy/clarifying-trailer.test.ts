import { describe, expect, it } from 'vitest';
import { clarifyingTrailerStart, parseClarifyingTrailer } from './clarifying-trailer.js';

const body = 'You want to know how to split the team.\n\nStart from the product areas [1].';

describe('parseClarifyingTrailer', () => {
  it('takes a fenced JSON trailer off the end and returns its questions', () => {
    const answer = `${body}\n\n\`\`\`json\n{"clarifyingQuestions": ["How many engineers are there?", "What have you tried?"]}\n\`\`\`\n`;
    expect(parseClarifyingTrailer(answer)).toEqual({
      text: body,
      clarifyingQuestions: ['How many engineers are there?', 'What have you tried?'],
    });
  });

  it('reads an empty list as no questions, and a bare object on the last line too', () => {
    expect(parseClarifyingTrailer(`${body}\n\`\`\`\n{"clarifyingQuestions": []}\n\`\`\``)).toEqual({ text: body, clarifyingQuestions: [] });
    expect(parseClarifyingTrailer(`${body}\n{"clarifyingQuestions": ["Who decides?"]}`)).toEqual({
      text: body,
      clarifyingQuestions: ['Who decides?'],
    });
  });

  it('keeps at most two questions, trimmed and without duplicates or non-strings', () => {
    const answer = `${body}\n\`\`\`json\n{"clarifyingQuestions": [" A? ", "A?", 3, "B?", "C?"]}\n\`\`\``;
    expect(parseClarifyingTrailer(answer).clarifyingQuestions).toEqual(['A?', 'B?']);
  });

  it('salvages a trailer the model did not close', () => {
    const answer = `${body}\n\`\`\`json\n{"clarifyingQuestions": ["How big is the org?", "What stage`;
    expect(parseClarifyingTrailer(answer)).toEqual({ text: body, clarifyingQuestions: ['How big is the org?'] });
  });

  it('leaves an answer without a trailer alone, including other code blocks', () => {
    const answer = `${body}\n\n\`\`\`json\n{"team": 5}\n\`\`\``;
    expect(parseClarifyingTrailer(answer)).toEqual({ text: answer, clarifyingQuestions: null });
  });
});

describe('clarifyingTrailerStart', () => {
  it('finds a trailer, or the start of one, while the answer streams', () => {
    expect(clarifyingTrailerStart(`${body}\n\`\`\`json\n{"clarifying`)).toBe(body.length);
    expect(clarifyingTrailerStart(`${body}\n\``)).toBe(body.length);
    expect(clarifyingTrailerStart(`${body}\n{"clar`)).toBe(body.length);
    expect(clarifyingTrailerStart(body)).toBe(-1);
    expect(clarifyingTrailerStart(`${body}\n\`\`\`python\nprint(1)`)).toBe(-1);
  });
});
