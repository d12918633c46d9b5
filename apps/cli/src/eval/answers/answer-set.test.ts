import { describe, expect, it } from 'vitest';
import {
  AnswerSetError,
  assumptionKinds,
  followUpKinds,
  frameworkKey,
  loadAnswerSet,
  parseAnswerSet,
  refusalKinds,
  specAuthorOf,
  specFrameworks,
  specTopics,
  turnsOf,
} from './answer-set.js';
import { statedFacts } from './facts.js';

const minimal = {
  name: 'tiny',
  conversations: [{ id: 'one', topics: ['feedback'], turns: [{ question: 'How do I give feedback?', expect: { outcome: 'answered' } }] }],
};

describe('the answer set schema', () => {
  it('accepts a minimal set and fills the defaults', () => {
    expect(parseAnswerSet(minimal)).toMatchObject({ name: 'tiny', description: '' });
  });

  it.each([
    ['an unknown expectation', { knownFact: ['team_size'] }],
    ['an unknown framework', { frameworksAnyOf: ['Team Topologies'] }],
    ['an unknown refusal kind', { refusalKind: 'write_poetry' }],
    ['an outcome that is not an identifier', { outcome: 'Answered!' }],
    ['an assumption without a challenge', { assumption: 'hire_more' }],
    ['a change from a previous turn on the first turn', { changesFromPrevious: true }],
  ])('rejects %s', (_what, expect_) => {
    const set = { ...minimal, conversations: [{ ...minimal.conversations[0]!, turns: [{ question: 'q', expect: expect_ }] }] };
    expect(() => parseAnswerSet(set)).toThrow(AnswerSetError);
  });

  it('rejects more than four turns, a repeated id and an unknown topic', () => {
    const turn = minimal.conversations[0]!.turns[0]!;
    const five = { ...minimal, conversations: [{ ...minimal.conversations[0]!, turns: Array.from({ length: 5 }, () => turn) }] };
    expect(() => parseAnswerSet(five)).toThrow(/turns/);
    expect(() => parseAnswerSet({ ...minimal, conversations: [minimal.conversations[0], minimal.conversations[0]] })).toThrow(/used twice/);
    expect(() => parseAnswerSet({ ...minimal, conversations: [{ ...minimal.conversations[0]!, topics: ['cooking'] }] })).toThrow(
      AnswerSetError,
    );
  });

  it('explains a set it cannot find', () => {
    expect(() => loadAnswerSet('no-such-set')).toThrow(/No answer set "no-such-set"/);
  });

  it('compares framework names by any spelling, and knows their authors', () => {
    expect(frameworkKey('Sponsorship versus Mentorship')).toBe(frameworkKey('Sponsorship vs Mentorship'));
    expect(frameworkKey('The Feedback Equation')).toBe(frameworkKey('Feedback Equation'));
    expect(frameworkKey('Engineering Strategy Components')).toBe(frameworkKey('Engineering Strategy'));
    expect(specAuthorOf('BICEPS core needs')).toBe('Lara Hogan');
    expect(specAuthorOf('Technical Coherence')).toBe('Jack Danger');
    expect(specAuthorOf('Team Topologies')).toBeUndefined();
  });
});

describe.each(['quick', 'extended'])('the %s set', (name) => {
  const set = loadAnswerSet(name);
  const turns = turnsOf(set);

  it('has at least 40 turns in conversations of one to four', () => {
    expect(turns.length).toBeGreaterThanOrEqual(40);
    for (const conversation of set.conversations) expect(conversation.turns.length).toBeLessThanOrEqual(4);
    expect(set.conversations.some((conversation) => conversation.turns.length === 4)).toBe(true);
  });

  it('covers every topic and framework of the spec', () => {
    expect(new Set(set.conversations.flatMap((conversation) => conversation.topics))).toEqual(new Set(specTopics));
    const expected = new Set(turns.flatMap(({ turn }) => turn.expect.frameworksAnyOf ?? []));
    for (const framework of specFrameworks) expect(expected, framework.name).toContain(framework.name);
  });

  it('covers every named assumption (twice), every refusal, off-topic questions and every kind of follow-up', () => {
    for (const kind of assumptionKinds) {
      expect(turns.filter(({ turn }) => turn.expect.assumption === kind).length, kind).toBeGreaterThanOrEqual(2);
    }
    for (const kind of refusalKinds)
      expect(
        turns.some(({ turn }) => turn.expect.refusalKind === kind),
        kind,
      ).toBe(true);
    expect(turns.filter(({ turn }) => turn.expect.refusalKind === 'off_topic').length).toBeGreaterThanOrEqual(2);
    for (const kind of followUpKinds)
      expect(
        turns.some(({ turn }) => turn.followUp === kind),
        kind,
      ).toBe(true);
  });

  it('names as known exactly the facts its turns state so far (the known-facts rule reads them the same way)', () => {
    for (const conversation of set.conversations) {
      const stated = new Set<string>();
      conversation.turns.forEach((turn, index) => {
        for (const kind of statedFacts(turn.question)) stated.add(kind);
        expect([...(turn.expect.knownFacts ?? [])].sort(), `${conversation.id}#${index + 1}`).toEqual([...stated].sort());
      });
    }
  });
});

describe('the quick and extended sets', () => {
  it("keep the spec's own velocity example, and share no question: the extended set is other words", () => {
    const quick = turnsOf(loadAnswerSet('quick'));
    expect(quick.find(({ turn }) => turn.question === 'Velocity is slow on my team. What should I do?')?.turn.expect).toMatchObject({
      outcomeNot: ['no_support', 'refused'],
      challenge: true,
    });
    const asked = new Set(quick.map(({ turn }) => turn.question.toLowerCase()));
    for (const { turn } of turnsOf(loadAnswerSet('extended'))) expect(asked.has(turn.question.toLowerCase()), turn.question).toBe(false);
  });
});
