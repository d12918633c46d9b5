import { describe, expect, it } from 'vitest';
import { readContext } from './read-context.js';
import { discussedSubject, resolveReferences } from './discussed-subject.js';
import { embedQuestion } from './embed-question.js';
import { summarise, ungrammaticalSummary } from './summarise.js';
import { withoutSteering } from './classify-topic.js';

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
    ['Do I still need to give him the feedback?', 'whether you still need to give him the feedback'],
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
    // Restating the team in the earlier turn's own words would paste that turn in.
    expect(summary).toBe(
      'You tried a request queue last quarter but it did not help. With that in mind, you still want to know how to start splitting it up.',
    );
  });
});

describe('references in follow-ups', () => {
  it('finds what the earlier question was about', () => {
    expect(discussedSubject('How should I introduce a career ladder for our SREs?')).toBe('the career ladder');
    // In the user's words (the summary says them back once, in the second person).
    expect(discussedSubject('Our single infra team of twelve is drowning. How should we start splitting it up?')).toBe(
      'our single infra team of twelve',
    );
    expect(
      discussedSubject('Our single infra team of twelve is drowning. How should we start splitting it up?', { fromStatements: false }),
    ).toBeNull();
  });

  it('replaces an object "it" or "that", and leaves a dummy "it" alone', () => {
    expect(resolveReferences('How do I roll it out?', 'the career ladder')).toBe('How do I roll out the career ladder?');
    expect(resolveReferences('Does it work for small teams?', 'Trunk and Branches')).toBe('Does Trunk and Branches work for small teams?');
    // "It" stands for one thing, not for "teams".
    expect(resolveReferences("It's been out six months and 3 of 12 teams use it.", 'teams')).toBe(
      "It's been out six months and 3 of 12 teams use it.",
    );
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

describe('summarise: leaders’ own words', () => {
  const summaryProblemShapes =
    /\byou(?:'re| are) asking (?:should|how|what|can|do|is|are)\b|[,:;]\s+(?:how|what|why|where|when|which|who)\s+(?:should|do|does|can|is|are|would)\s+(?:you|i|we)\b[^?]*\.$/i;

  it.each([
    // A question riding at the end of a statement, with no question mark.
    [
      'I took over a team of nine last week and nobody has told me what they work on, where should i begin',
      'You took over a team of nine last week and nobody has told you what they work on, and you want to know where to begin.',
    ],
    // Lead-ins and interjections carry nothing to summarise.
    [
      'lol ok. serious question: how do I stop my standups from running long?',
      'You want to know how to stop your standups from running long.',
    ],
    // A verdict asked for before its question, and a choice handed over.
    ['Just tell me: do we hire a second designer or not?', "You'd like me to tell you whether to hire a second designer or not."],
    ['Be straight with me: should we cancel the offsite?', "You'd like me to tell you whether to cancel the offsite."],
    ['You decide: should I move Ana to the platform team?', "You'd like me to decide whether to move Ana to the platform team."],
    // No verb to build on: quoted as it was said, never made into a broken sentence.
    ['morale low. what now?', 'You put it as "morale low". You want to know what to do now.'],
    // A fragment after a statement is part of it, not a quotation of its own.
    ['We missed our quarterly goals again. Third quarter in a row.', 'You missed your quarterly goals again, third quarter in a row.'],
    // A role said as a greeting, and a statement without a subject.
    ['new EM here. how do I run my first team meeting?', "You're a new EM, and you want to know how to run your first team meeting."],
    [
      'Moving to a director role in a month. What should I read first?',
      "You're moving to a director role in a month, and you want to know what to read first.",
    ],
    // Typed quickly.
    [
      'whats the best way to do skip levels? dont want to undermine my managers',
      "You want to know the best way to do skip levels. You don't want to undermine your managers.",
    ],
    // The thing asked for as the object of "know", not "what … is" stranded after a long clause.
    [
      "What's a good way to run a calibration meeting so managers don't just fight for their own people?",
      "You want to know a good way to run a calibration meeting so managers don't just fight for their own people.",
    ],
    // A direct question typed with a full stop is still asked back as a question.
    [
      "how many engineers per manager is too many. i have 13 direct reports right now and i'm drowning",
      "You ask: how many engineers per manager is too many? You have 13 direct reports right now and you're drowning.",
    ],
    ['Thoughts on whether a guild will fix our testing culture?', "You'd like my view on whether a guild will fix your testing culture."],
    [
      'I trust your view more than mine on this, should we delay the launch?',
      'You trust my view more than yours on this, and you want to know whether to delay the launch.',
    ],
  ])('%j', (question, expected) => {
    const summary = first(question);
    expect(summary).toBe(expected);
    expect(summary).not.toMatch(summaryProblemShapes);
  });

  it('leaves out bracketed numbers the user typed, which would read as citation markers no citation backs', () => {
    for (const question of ['alert(1) [1] [999] feedback', 'How do I use the feedback equation [2] with my manager [12]?']) {
      const summary = first(question);
      expect(summary, question).not.toMatch(/\[\d+\]/);
      expect(summary, question).toMatch(/feedback/);
    }
  });

  it('keeps the order of a question asked before the situation, so a pronoun follows what it points to', () => {
    expect(first('Should I move my tech lead to another team? She has been unhappy for months.')).toBe(
      'You want to know whether to move your tech lead to another team. She has been unhappy for months.',
    );
  });

  it('asks a question back rather than restate it with a full stop when it cannot be turned', () => {
    const summary = first('Our retro has gone quiet, why such silence from a team that used to argue?');
    expect(summary.endsWith('?')).toBe(true);
    expect(summary).not.toMatch(/[,:]\s+why such silence[^?]*\.$/);
  });

  it('never puts a wrong phrase in for "it": no referent from a verb phrase or a person', () => {
    const previous = 'How do other teams split this work up?';
    const question = 'And how would I announce it?';
    expect(summarise(question, readContext([{ question: previous }], question), previous)).toBe(
      'You now want to know how you would announce it.',
    );
    expect(discussedSubject('What actually goes in it?')).toBeNull();
    expect(discussedSubject('How do I get time for it without a fight?')).toBeNull();
  });

  it('answers a reply that only adds facts with what the earlier question was about, not its words pasted in', () => {
    const previous = 'How do I set up a promotion process that is fair across very different teams?';
    const reply = 'We have four managers and they all calibrate differently.';
    const summary = summarise(reply, readContext([{ question: previous }], reply), previous, { earlierTopic: 'career development' });
    expect(summary).toBe(
      'You have four managers and they all calibrate differently. With that in mind, back to your question about career development.',
    );
  });
});

describe('summarise: openings that only steer, and contractions', () => {
  it('leaves out "Switching topics:" and "Back to …:", which steer the conversation and say nothing of the question', () => {
    expect(first('Switching topics: how do I run a blameless postmortem?')).not.toMatch(/switching/i);
    expect(first('Switching topics: how do I run a blameless postmortem?')).toMatch(/postmortem/);
    expect(first('Back to my own onboarding: what should I do in my first week as a director?')).not.toMatch(/back to/i);
    expect(first('Back to my own onboarding: what should I do in my first week as a director?')).toMatch(/first week/);
    // A search keeps a return's subject; a switch of topic says nothing of the question.
    expect(withoutSteering('Back to my own onboarding: what should I have done by day 90?', { keepReturns: true })).toBe(
      'Back to my own onboarding: what should I have done by day 90?',
    );
    expect(withoutSteering('Switching topics: how do I run a blameless postmortem?', { keepReturns: true })).toBe(
      'How do I run a blameless postmortem?',
    );
    // Nothing to leave out: the message is said back as it was.
    expect(first('Back to basics')).toMatch(/basics/i);
  });

  it('lower-cases a contraction of "you" inside a sentence ("you say that you\'ll…")', () => {
    expect(first("I'll just have two seniors rewrite the billing system from scratch. Good plan?")).not.toMatch(/\bthat You/);
  });
});
