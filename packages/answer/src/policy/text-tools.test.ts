import { describe, expect, it } from 'vitest';
import { hasFiniteVerb, lowerFirst, normaliseTyping, splitSentences } from './text-tools.js';

describe('hasFiniteVerb', () => {
  it.each([
    ['we mostly care about lead time', true],
    ['my PM keep stepping on my toes', true],
    ['our retros feel pointless lately', true],
    ['the team doesnt listen to him', true],
    ['Tell the team first', true],
    ['morale low', false],
    ['team too slow', false],
    ['Option B: split by customer segment', false],
    ['Two candidates for our first staff role', false],
  ])('%j → %s', (sentence, expected) => {
    expect(hasFiniteVerb(sentence)).toBe(expected);
  });
});

describe('normaliseTyping', () => {
  it('reads quick typing as careful writing, and nothing else', () => {
    expect(normaliseTyping('whats the best way to do this? im not sure u can help')).toBe(
      "what's the best way to do this? I'm not sure you can help",
    );
    expect(normaliseTyping('i dont know why it doesnt work??')).toBe("I don't know why it doesn't work?");
    expect(normaliseTyping("What's the US team's plan? I don't know.")).toBe("What's the US team's plan? I don't know.");
  });
});

describe('lowerFirst', () => {
  it('lower-cases an everyday word that opened a sentence, never a name or an acronym', () => {
    expect(lowerFirst('Good or bad?')).toBe('good or bad?');
    expect(lowerFirst('Thoughts on the plan')).toBe('thoughts on the plan');
    expect(lowerFirst('Sam is a strong engineer')).toBe('Sam is a strong engineer');
    expect(lowerFirst('CTO asked me')).toBe('CTO asked me');
  });
});

describe('splitSentences', () => {
  it('splits at a dash only where a question starts, not inside a statement', () => {
    expect(splitSentences('Our pager is brutal — four pages a night.')).toEqual(['Our pager is brutal — four pages a night.']);
    expect(splitSentences('My lead quit — how do I cover her work?')).toEqual(['My lead quit', 'how do I cover her work?']);
  });
});
