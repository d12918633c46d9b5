import { describe, expect, it } from 'vitest';
import { readContext } from './read-context.js';
import { discussedSubject, embedQuestion, resolveReferences, summarise, ungrammaticalSummary } from './summarise.js';

const first = (question: string): string => summarise(question, readContext([], question));

describe('embedQuestion', () => {
  it.each([
    ['How should I size my team?', 'how to size your team'],
    ['Should we merge it with another team?', 'whether to merge it with another team'],
    ['What is the Trunk and Branches model?', 'what the Trunk and Branches model is'],
    ['How does Technical Coherence work?', 'how Technical Coherence works'],
    ['Why does this keep happening?', 'why this keeps happening'],
    ['How many engineers should one manager support?', 'how many engineers one manager should support'],
    ['At what point should I split a team?', 'at what point to split a team'],
    ['What am I missing?', "what you're missing"],
    ['What could I have done in the moment?', 'what you could have done in the moment'],
    ['Did I make a mistake by promoting her?', 'whether you made a mistake by promoting her'],
    [
      'Is it normal to have to change companies to get the staff title?',
      'whether it is normal to have to change companies to get the staff title',
    ],
    ['Is my team too big?', 'whether your team is too big'],
    [
      "What's the difference between coaching someone and going to bat for them?",
      'the difference between coaching someone and going to bat for them',
    ],
    ['Can you explain stocks and flows with an example?', "you'd like me to explain stocks and flows with an example"],
    ['Would you fire him?', 'whether I would fire him'],
    ['What do you think of my plan?', 'what I think of your plan'],
    [
      'Why do our engineering principles never actually settle any debate?',
      'why your engineering principles never actually settle any debate',
    ],
    ['Which book gives a systems view of management?', 'which book gives a systems view of management'],
  ])('%j → %j', (question, expected) => {
    expect(embedQuestion(question)).toBe(expected);
  });

  it('gives up rather than guess at a subject it cannot find', () => {
    expect(embedQuestion('Why are my engineers unhappy?')).toBeNull();
  });
});

describe('summarise', () => {
  it('writes the example from the issue', () => {
    expect(
      first("I'm about to become a director of six teams after the previous director left suddenly. How do I use that with my managers?"),
    ).toBe(
      "You're about to become a director of six teams after the previous director left suddenly, and you want to know how to use that with your managers.",
    );
  });

  it.each([
    ['Should I fire my tech lead?', 'You want to know whether to fire your tech lead.'],
    ['How should I size my team?', 'You want to know how to size your team.'],
    [
      "I'm running a meeting where I also have a strong opinion about the outcome. Is that a problem, and what should I do about it?",
      "You're running a meeting where you also have a strong opinion about the outcome, and you want to know whether that is a problem and what to do about it.",
    ],
    [
      'How many engineers should one manager support, and at what point should I split a team?',
      'You want to know how many engineers one manager should support and at what point to split a team.',
    ],
    [
      'Using the BICEPS core needs, how should I plan the announcement of a reorg?',
      'You want to know how to plan the announcement of a reorg, using the BICEPS core needs.',
    ],
    [
      'Give me an engineering example of a diagnosis, guiding policies and coherent actions.',
      "You'd like me to give you an engineering example of a diagnosis, guiding policies and coherent actions.",
    ],
    ['What is BICEPS?', 'You want to know what BICEPS is.'],
  ])('%j', (question, expected) => {
    expect(first(question)).toBe(expected);
  });

  it('keeps a question it cannot turn as a question, with its question mark', () => {
    const summary = first('Why are my engineers unhappy?');
    expect(summary).toBe('You ask: why are your engineers unhappy?');
    expect(summary.endsWith('?')).toBe(true);
  });

  it('never says "you\'re asking should you" nor ends an inverted question with a full stop', () => {
    const questions = [
      'How should I structure my engineering org?',
      'Should I fire my tech lead?',
      'What should I do about my weekly planning meeting?',
      'Can I ask my manager for more headcount?',
      'How do we fix the loop?',
      'Is asking for more headcount the right move?',
      'Should we rewrite the billing service?',
      'Where should a team that owns our shared pricing services sit?',
    ];
    for (const question of questions) {
      const summary = first(question);
      expect(summary, question).not.toMatch(ungrammaticalSummary);
      expect(summary, question).not.toMatch(/\byou want to know (?:how|what|where|when|why) (?:should|do|does|can|is|are) /i);
      expect(summary, question).toMatch(/^You/);
    }
  });

  it("reports a claim the persona challenges as the user's view, never as its own", () => {
    expect(first('We need to hire five more engineers to fix our velocity problem.')).toBe(
      'You think you need to hire five more engineers to fix your velocity problem.',
    );
    expect(first('Velocity is slow on my team. What should I do?')).toBe(
      'You say that velocity is slow on your team, and you want to know what to do.',
    );
  });

  it('states a follow-up as the new question, with "it" resolved, without gluing the turns', () => {
    const previous = 'How should I introduce a career ladder for our SREs?';
    const turns = [{ question: previous }];
    const question = 'How do I get my managers to buy into it?';
    const summary = summarise(question, readContext(turns, question), previous);
    expect(summary).toBe('You now want to know how to get your managers to buy into the career ladder.');
    expect(summary).not.toContain('SREs');
  });

  it('answers a reply to its questions by restating the standing question in the light of the new facts', () => {
    const previous = 'Our single infra team of twelve is drowning in requests from everywhere. How should we start splitting it up?';
    const reply = 'We tried a request queue last quarter but it did not help.';
    const summary = summarise(reply, readContext([{ question: previous }], reply), previous);
    expect(summary).toBe(
      'You tried a request queue last quarter but it did not help. With that in mind, you still want to know how to start splitting up your single infra team of twelve.',
    );
  });
});

describe('references in follow-ups', () => {
  it('finds what the earlier question was about', () => {
    expect(discussedSubject('How should I introduce a career ladder for our SREs?')).toBe('the career ladder');
    expect(discussedSubject('Our single infra team of twelve is drowning. How should we start splitting it up?')).toBe(
      'your single infra team of twelve',
    );
  });

  it('replaces an object "it" or "that", and leaves a dummy "it" alone', () => {
    expect(resolveReferences('How do I roll it out?', 'the career ladder')).toBe('How do I roll out the career ladder?');
    expect(resolveReferences('Does it work for small teams?', 'Trunk and Branches')).toBe('Does Trunk and Branches work for small teams?');
    expect(resolveReferences('Is it worth the effort?', 'the rewrite')).toBe('Is it worth the effort?');
  });
});

describe('embedQuestion: nouns that look like verbs', () => {
  it('reads "what plans should I make" with "plans" as a noun, and "who decides" with a verb', () => {
    expect(embedQuestion('What plans should I make for the reorg?')).toBe('what plans to make for the reorg');
    expect(embedQuestion('Which book gives a systems view?')).toBe('which book gives a systems view');
    expect(embedQuestion('Who decides what goes on the roadmap?')).toBe('who decides what goes on the roadmap');
  });
});
