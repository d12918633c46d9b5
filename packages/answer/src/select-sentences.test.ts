import { describe, expect, it } from 'vitest';
import { retrievedPassage } from '../test/retrieved-passage.js';
import { isQuotable, leansOnPrevious, selectSentences, standaloneSentences } from './select-sentences.js';

describe('standaloneSentences', () => {
  it('takes a sentence that leans on the one before together with it, as one verbatim span', () => {
    const text =
      'A staff engineer sets technical direction across several teams at once. It is distinct from a tech lead manager, who sits on the management ladder.';
    const [pair, ...rest] = standaloneSentences(retrievedPassage(0, { text }), 0);
    expect(pair!.text).toBe(text);
    expect(text).toContain(pair!.text);
    expect(rest).toEqual([]);
  });

  it('leaves out a leaning sentence with nothing before it to lean on, and sentences that end in a colon', () => {
    const text = [
      'They often get promoted for the wrong reasons and nobody notices until later.',
      'Good sponsorship gives someone a real chance of landing the next big project:',
      'Sponsors advocate for people in the rooms where those people are not present.',
    ].join('\n');
    const quoted = standaloneSentences(retrievedPassage(0, { text }), 0).map((sentence) => sentence.text);
    expect(quoted).toEqual(['Sponsors advocate for people in the rooms where those people are not present.']);
  });

  it('spots leaning starts and unquotable endings', () => {
    expect(leansOnPrevious('It is distinct from a manager.')).toBe(true);
    expect(leansOnPrevious('"This means the team slows down."')).toBe(true);
    expect(leansOnPrevious('Itemised budgets help teams plan.')).toBe(false);
    expect(isQuotable('There are three reasons:')).toBe(false);
    expect(isQuotable('Feedback works best when it is specific and timely.')).toBe(true);
    expect(isQuotable('What would you do if your best engineer quit tomorrow?')).toBe(false);
    expect(isQuotable('Where should the boundary between two teams be? He concluded that sizing is the challenge.')).toBe(false);
    expect(isQuotable('Ask for the impact: "What did it affect?" and listen.')).toBe(true);
  });
});

describe('selectSentences', () => {
  const passages = [
    retrievedPassage(0, {
      text: 'Give feedback with an observation of the behaviour you saw. Describe the impact that the behaviour had, as part of the feedback, on the team. Feedback that starts with an observation is easier to hear.',
    }),
    retrievedPassage(1, {
      text: 'End the feedback with a question or a request, so the conversation stays open and the person can respond.',
    }),
    retrievedPassage(2, { text: 'Quarterly planning needs a calendar that every team agrees to ahead of the quarter.' }),
  ];

  it('covers the parts of the question before repeating one, and leaves out what does not match', () => {
    const chosen = selectSentences('How do I give feedback with an observation, its impact and a request?', passages, { max: 3 });
    const texts = chosen.map((sentence) => sentence.text);
    expect(texts).toHaveLength(3);
    expect(texts.some((text) => text.includes('impact'))).toBe(true);
    expect(texts.some((text) => text.includes('request'))).toBe(true);
    expect(texts.some((text) => text.includes('Quarterly'))).toBe(false);
  });

  it('does not pick a near repeat of a sentence it already chose', () => {
    const repeated = [
      retrievedPassage(0, { text: 'Sponsors advocate for people in rooms those people are not in.' }),
      retrievedPassage(1, { text: 'Sponsors advocate for people in the rooms those people are not in.' }),
      retrievedPassage(2, { text: 'Mentors give advice and guidance to people in private conversations.' }),
    ];
    const texts = selectSentences('What is the difference between sponsors and mentors for people?', repeated, { max: 2 }).map(
      (sentence) => sentence.text,
    );
    expect(texts).toHaveLength(2);
    expect(texts.some((text) => text.startsWith('Mentors'))).toBe(true);
  });

  it('respects exclusions and the per-passage limit', () => {
    const chosen = selectSentences('feedback observation impact behaviour', passages, {
      max: 5,
      perPassage: 1,
      exclude: new Set(['Give feedback with an observation of the behaviour you saw.']),
    });
    expect(chosen.filter((sentence) => sentence.passageIndex === 0)).toHaveLength(1);
    expect(chosen.map((sentence) => sentence.text)).not.toContain('Give feedback with an observation of the behaviour you saw.');
  });
});
