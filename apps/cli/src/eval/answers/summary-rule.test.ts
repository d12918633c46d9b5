import { describe, expect, it } from 'vitest';
import { checkSummary, summaryProblems } from './summary-rule.js';

const turn = (summary: string, previous: string[] = []) => ({
  previous: previous.map((question) => ({ question, result: { answer: '', citations: [], outcome: 'answered' } })),
  result: {
    answer: `**What I understood:** ${summary}\n\n- A point [1].`,
    citations: [{ n: 1, author: 'Will Larson' }],
    outcome: 'answered',
  },
});

describe('summaries', () => {
  it('passes a summary in its own words', () => {
    expect(checkSummary(turn("you're a new director of six teams, asking how to spend your first 90 days."))).toEqual({ status: 'pass' });
    expect(checkSummary(turn("You're asking whether to fire your tech lead, who keeps missing deadlines."))).toEqual({ status: 'pass' });
    expect(checkSummary(turn('Is the problem capacity or focus?'))).toEqual({ status: 'pass' });
  });

  it('fails "you\'re asking should you…"', () => {
    const problems = summaryProblems("you're asking should you fire your tech lead?", []);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/own word order/);
  });

  it('fails a question turned into a statement with a full stop', () => {
    expect(summaryProblems("you're asking about this: velocity is slow on your team. What should you do.", [])).toEqual([
      'a question ends with a full stop: "What should you do."',
    ]);
    expect(summaryProblems("you're asking what's the capital of France.", [])).toHaveLength(2);
    expect(summaryProblems("you're asking about this: actually, one more thing: how do you build trust with peers.", [])).toHaveLength(2);
    // After a comma, too: a question glued to a statement keeps its own word order and loses its question mark.
    expect(summaryProblems('Your weekly staff meeting always runs over, how do you fix that.', [])).toEqual([
      'a question ends with a full stop: "how do you fix that."',
    ]);
    expect(summaryProblems('Your staff meeting runs over, and you want to know how to fix that.', [])).toEqual([]);
  });

  it('fails earlier turns glued into the summary', () => {
    const earlier = "I'm about to become a director over 6 teams. How should I spend my first 90 days?";
    const glued =
      "you're asking about this: you're about to become a director over 6 teams. How should you spend your first 90 days? you have 6 teams.";
    expect(checkSummary(turn(glued, [earlier])).status).toBe('fail');
    expect(summaryProblems(glued, [earlier]).at(-1)).toMatch(/pastes in an earlier turn/);
    expect(summaryProblems("you're a new director of six teams and now ask about your managers.", [earlier])).toEqual([]);
  });

  it('does not apply without a summary', () => {
    expect(checkSummary({ previous: [], result: { answer: 'A point [1].', citations: [], outcome: 'answered' } }).status).toBe('na');
  });
});
