import { describe, expect, it } from 'vitest';
import { checkNoSourcesList, checkSentences, pointsBackTo, sentenceProblems } from './text-rules.js';

const citations = [{ n: 1, author: 'Will Larson', title: 'Sizing teams', url: 'https://lethain.com/sizing-engineering-teams/' }];

describe('no sources list in the text', () => {
  it('fails a printed sources list when the citations carry them', () => {
    const answer = 'Keep teams small [1].\n\n**Sources**\n[1] "Sizing teams", Will Larson: https://lethain.com/sizing-engineering-teams/';
    expect(checkNoSourcesList({ answer, citations, outcome: 'answered' }).status).toBe('fail');
    expect(
      checkNoSourcesList({ answer: 'Keep teams small [1].\n\nSources:\n- [1] "Sizing teams"', citations, outcome: 'answered' }).status,
    ).toBe('fail');
  });

  it('passes the answer alone, and does not apply without citations', () => {
    expect(checkNoSourcesList({ answer: 'Keep teams small [1].', citations, outcome: 'answered' }).status).toBe('pass');
    expect(checkNoSourcesList({ answer: 'I decline.', citations: [], outcome: 'refused' }).status).toBe('na');
  });
});

describe('sentences', () => {
  it('fails a list item opening with a pronoun that refers to nothing', () => {
    const answer = "**What the sources say**\n- This is the performance engineer's mindset: profile, find the bottleneck. [1]";
    expect(sentenceProblems(answer)).toEqual([expect.stringMatching(/dangling "This"/)]);
  });

  it('fails a framework line\'s extract opening with "It", and a quote from another passage opening with "They"', () => {
    const framework = '- **BICEPS** (Lara Hogan): six core needs. It builds trust quickly and gives you a picture of the team. [1]';
    expect(sentenceProblems(framework)).toHaveLength(1);
    expect(sentenceProblems('Staff engineers guide direction [1]. They are too busy to invest in the team [2].')).toHaveLength(1);
  });

  it('fails a sentence ending in a colon before its marker', () => {
    expect(sentenceProblems('The proposal has a real chance of landing: [1]')).toEqual([expect.stringMatching(/colon before its marker/)]);
    expect(checkSentences({ answer: 'First understand the current loop: [4].', citations, outcome: 'answered' }).status).toBe('fail');
  });

  it('fails a piece of a list quoted as a sentence: lower case, or a subordinate clause alone', () => {
    expect(sentenceProblems('**What the sources say**\n- a standing incident that eats the platform team every week. [1]')).toEqual([
      expect.stringMatching(/fragment/),
    ]);
    expect(sentenceProblems('**What the sources say**\n- When the roadmap slips without anyone noticing. [2]')).toEqual([
      expect.stringMatching(/fragment/),
    ]);
    // After an abbreviation the splitter may have cut at, lower case is the same sentence going on.
    expect(sentenceProblems('Pick a measure, e.g. lead time, and watch its trend [1].')).toEqual([]);
  });

  it('fails a cited sentence pointing back at something neither the answer nor the question named', () => {
    expect(pointsBackTo('Product and design should own this stage.', 'How do I plan a launch?')).toBe('this stage');
    expect(pointsBackTo('Those rituals rarely survive a reorg.', 'Our team rituals are dying.')).toBeUndefined();
    expect(pointsBackTo('A staff engineer sets direction, and this engineer is often the tech lead.', '')).toBeUndefined();
    expect(pointsBackTo('Plan this quarter around two bets.', '')).toBeUndefined();
    const answer = '**What the sources say**\n- Teams should review these numbers every month. [1]';
    expect(sentenceProblems(answer, 'How do I cut our cloud bill?')).toEqual([expect.stringMatching(/"these numbers"/)]);
    // Not in the answer's own words: only a cited sentence is read this way.
    expect(sentenceProblems('**What I would look at**\n- Check these numbers with your finance partner.')).toEqual([]);
    // A demonstrative with no noun points back; a noun a colon spells out points ahead.
    expect(pointsBackTo('Making the split explicit reduces these, and helps new leaders.', '')).toBe('these');
    expect(pointsBackTo('The playbook follows from these rules: teams sit at six to eight engineers.', '')).toBeUndefined();
    expect(pointsBackTo('Split it into two teams of four, and grow those back up.', '')).toBeUndefined();
    expect(pointsBackTo('Once the launch is done, hand those over to the platform group.', '')).toBe('those over');
  });

  it('fails a list item whose first words hold a pronoun that refers to nothing ("Use it…", "Sponsoring them…")', () => {
    for (const item of [
      'Use it for positive feedback too. [1]',
      'Sponsoring them is part of your job. [2]',
      'For them, the usual advice fails. [1]',
    ])
      expect(sentenceProblems(`**What the sources say**\n- ${item}`), item).toEqual([expect.stringMatching(/dangling/)]);
    expect(sentenceProblems('**What the sources say**\n- Make it clear that the decision is final. [1]')).toEqual([]);
    expect(sentenceProblems('**What the sources say**\n- Ask your reports what they want from the meeting. [1]')).toEqual([]);
  });

  it('passes pronouns with an antecedent, "It" that refers to nothing by design, and colons inside sentences', () => {
    const answer = [
      '**What I understood:** you want to size your teams.',
      '',
      'Larson keeps teams between six and eight engineers [1]. They stay small enough to share context [1].',
      "It depends on how much on-call load they carry. It's worth checking who owns what.",
      '- Three questions: who owns it, how, and why? [1]',
      '',
      'This matters because the split sets on-call rotations.',
    ].join('\n');
    expect(sentenceProblems(answer)).toEqual([]);
    expect(checkSentences({ answer, citations, outcome: 'answered' })).toEqual({ status: 'pass' });
  });
});
