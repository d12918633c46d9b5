import { describe, expect, it } from 'vitest';
import { gerundPhrase, hasFiniteVerb, lowerFirst, normaliseTyping, splitSentences } from './text-tools.js';

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

describe('gerundPhrase', () => {
  it('turns the verb into its -ing form, past the words that only soften it', () => {
    expect(gerundPhrase('merge it with the platform team')).toBe('merging it with the platform team');
    expect(gerundPhrase('just reuse the roadmap I wrote at my last company')).toBe('reusing the roadmap I wrote at my last company');
    expect(gerundPhrase('go ahead and hire two seniors')).toBe('hiring two seniors');
    expect(gerundPhrase('reuse the roadmap and adapt it')).toBe('reusing the roadmap and adapting it');
    expect(gerundPhrase('merge the teams and the backlogs')).toBe('merging the teams and the backlogs');
  });
});
