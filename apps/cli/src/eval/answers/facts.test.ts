import { describe, expect, it } from 'vitest';
import { factsAskedFor, statedFacts } from './facts.js';

describe('facts stated and asked for', () => {
  it.each([
    ["I'm about to become a director over 6 teams.", ['team_size', 'role']],
    ["We're a 60-person org at a Series B startup, and I report to the CTO.", ['team_size', 'company_stage', 'role']],
    ['We measure it in story points per sprint. The team is 8 engineers.', ['team_size', 'measurement']],
    ["We already tried cutting meetings and it didn't help.", ['already_tried']],
    ["We're a regulated fintech with a hard deadline in Q3, so we can't pause features.", ['constraints']],
    ['I just became CTO of a 120-person engineering org.', ['team_size', 'role']],
  ])('reads the facts in "%s"', (text, kinds) => {
    expect(statedFacts(text).sort()).toEqual([...kinds].sort());
  });

  it.each([
    'We need to hire five more engineers to fix our velocity problem.',
    'How do I run a good first 1:1 with a new report?',
    'Should we rewrite our frontend? The current one is five years old.',
  ])('reads no fact into "%s"', (text) => {
    expect(statedFacts(text)).toEqual([]);
  });

  it.each([
    ['How large is the team or organisation involved, and how is it structured today?', ['team_size']],
    ['What stage is the company at (early startup, scaling, or established), and how fast is it growing?', ['company_stage']],
    ['What constraints are you working within: headcount, deadlines, budget or reporting lines?', ['constraints']],
    ['What have you already tried, and what happened?', ['already_tried']],
    ['How are you measuring velocity or productivity today?', ['measurement']],
    ["What's your role: are you the manager or the tech lead?", ['role']],
    ['What problem would more engineers solve?', []],
  ])('knows what "%s" asks for', (question, kinds) => {
    expect(factsAskedFor(question)).toEqual(kinds);
  });
});
