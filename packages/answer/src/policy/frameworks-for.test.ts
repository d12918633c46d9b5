import { describe, expect, it } from 'vitest';
import { classifyTopic } from './classify-topic.js';
import { frameworksFor } from './frameworks-for.js';
import { readContext } from './read-context.js';
import type { FrameworkName, PolicyTurn } from './types.js';

/** The frameworks offered for a question, as the plan asks for them (its topics and intent). */
function offered(question: string, turns: PolicyTurn[] = []): FrameworkName[] {
  const context = readContext(turns, question);
  const { topic, secondary, intent } = classifyTopic(question, context);
  return frameworksFor([topic, ...secondary], intent, question, context).map((framework) => framework.name);
}

describe('frameworksFor: what each framework is for, on paraphrases', () => {
  const cases: [FrameworkName, string[]][] = [
    [
      'Technical Coherence',
      [
        "We're at 120 engineers and I can't explain why we have the teams we have. How should I decide how to carve up the org?",
        'What proportion of engineers should work on platform versus product?',
        'Nobody owns the shared billing logic that every feature team touches. Why does this keep happening?',
        'We are 250 people now. Should I reorganise our teams around products?',
        'In Technical Coherence, what is a UX domain?',
      ],
    ],
    [
      'Staff Archetypes',
      [
        'What different shapes can a staff engineer role take, and which one does my org need?',
        'I want a senior IC who acts as an extension of me as VP across a 400-person org. What kind of role is that?',
        'I just inherited two staff engineers and I am not sure how managing them should differ from my seniors.',
      ],
    ],
    [
      'Trunk and Branches',
      [
        'Our single infra team of twelve is drowning in requests from everywhere. How should we start splitting it up?',
        'How should an infrastructure group prioritise between security, reliability and new platform projects?',
        'What is the Trunk and Branches model?',
      ],
    ],
    [
      'Engineering Strategy',
      [
        "My CEO wants an engineering strategy by next month and I don't know what the document should contain.",
        'Our so-called strategy doc is just a list of Q3 projects. What is missing?',
        "Why do our engineering principles like 'prefer simple solutions' never settle any debate?",
      ],
    ],
    [
      'Systems Thinking',
      [
        "We keep adding engineers but delivery isn't getting any faster.",
        'My team is constantly firefighting and the backlog grows every week.',
        'We need to hire five more engineers to fix our velocity problem.',
        'Can you explain stocks and flows with an engineering example?',
      ],
    ],
    [
      'BICEPS',
      [
        'One of my senior engineers keeps getting upset whenever plans change at the last minute.',
        "We're moving two teams to a different floor and people are weirdly furious about it.",
        "My report is angry that another team got the better launch slot and says it's unfair.",
        'Using the BICEPS core needs, how should I plan the announcement of a reorg?',
      ],
    ],
    [
      'Feedback Equation',
      [
        'How do I tell a peer that their curt messages are slowing everyone down?',
        'A report told me my feedback is too vague to act on. How do I make it more specific?',
        'Should I fire my tech lead?',
      ],
    ],
    [
      "Naming What's Happening",
      [
        'In our architecture review two principals started sniping at each other and everyone went silent.',
        'I got really defensive when a junior engineer challenged my design in front of the team.',
        "What does naming what's happening look like during a tense retrospective?",
      ],
    ],
    [
      'Sponsorship vs Mentorship',
      [
        'A woman on my team gets plenty of advice from me but keeps getting passed over for the big projects.',
        "What's the difference between coaching someone with advice and actually going to bat for them?",
        "I've been doing staff-level work for over a year and still haven't been promoted. What am I missing?",
      ],
    ],
  ];
  for (const [framework, questions] of cases) {
    it.each(questions)(`${framework}: %j`, (question) => {
      expect(offered(question)).toContain(framework);
    });
  }
});

describe('frameworksFor: not by keyword', () => {
  it('does not bring in Technical Coherence for "architecture" alone', () => {
    expect(offered('Our architecture is a mess of microservices. How do I get the team to care about quality?')).not.toContain(
      'Technical Coherence',
    );
    expect(offered('How do I run a good architecture review?')).not.toContain('Technical Coherence');
    expect(offered('We have four half-finished platform migrations and a dozen teams on the old systems.')).not.toContain(
      'Technical Coherence',
    );
  });

  it('reads "should I fire my tech lead" as feedback and people, not Staff Archetypes', () => {
    const frameworks = offered('Should I fire my tech lead?');
    expect(frameworks[0]).toBe('Feedback Equation');
    expect(frameworks).not.toContain('Staff Archetypes');
  });

  it('offers nothing when nothing fits, or for code and off-topic questions', () => {
    expect(offered('Our interview panel rejects every engineering manager candidate we see. How do we fix the loop?')).toEqual([]);
    expect(offered('How should I approach writing a career ladder for a new role like SRE?')).toEqual([]);
    expect(offered('Write me a Python function that computes our DORA metrics.')).toEqual([]);
    expect(offered("What's the best lasagna recipe?")).toEqual([]);
  });

  it('offers at most three, ranked, each with what it is for and why it fits', () => {
    const context = readContext(
      [],
      'Nobody owns the shared billing logic and my team is drowning in requests, so the backlog grows every week.',
    );
    const frameworks = frameworksFor(
      ['org_design', 'infrastructure'],
      'advice',
      'Nobody owns the shared billing logic and my team is drowning in requests, so the backlog grows every week.',
      context,
    );
    expect(frameworks.length).toBeGreaterThan(0);
    expect(frameworks.length).toBeLessThanOrEqual(3);
    const scores = frameworks.map((framework) => framework.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const framework of frameworks) expect(framework.reason).toMatch(/^For .+\. It fits because .+\.$/);
  });

  it('carries the earlier turn into a follow-up that names no framework cue of its own', () => {
    const turns = [
      {
        question: 'Our single infra team of twelve is drowning in requests from everywhere. How should we start splitting it up?',
        answer: '**Before I go further:** How many product engineers does the team serve?',
      },
    ];
    expect(offered('About 40 product engineers, and we tried a request queue.', turns)).toContain('Trunk and Branches');
  });
});

describe('frameworksFor: follow-ups and other words for the same need', () => {
  it('carries a framework two turns back into a follow-up that names nothing of its own', () => {
    const turns = [
      { question: 'I might have to let go of my backend lead. Her code reviews have become careless.', answer: 'An answer.' },
      { question: "I haven't said anything to her directly yet.", answer: 'An answer.' },
    ];
    expect(offered('So how do I actually open that conversation?', turns)).toContain('Feedback Equation');
  });

  it('reads a loop described in the user’s own words as one', () => {
    expect(
      offered('The more meetings we add to coordinate, the less time anyone has to do the work. How do I think about that?'),
    ).toContain('Systems Thinking');
  });

  it('reads "right-hand" and "day to day" as the staff archetypes', () => {
    expect(offered('Which kind of staff engineer acts as a right-hand to the CTO?')).toContain('Staff Archetypes');
    expect(offered("Our two principal engineers don't know what to focus on day to day. How do I help?")).toContain('Staff Archetypes');
  });
});

describe('frameworksFor: words that borrow a framework’s name', () => {
  it('offers no career sponsorship for a visa sponsor, and no feedback equation for a layoff', () => {
    expect(
      offered('One of my engineers is on an H-1B visa and we may have to let her go. How long does she have to find a new sponsor?'),
    ).not.toContain('Sponsorship vs Mentorship');
    expect(
      offered('I have to lay off two people from my team of eight next week. How do I tell them, and the rest of the team?'),
    ).not.toContain('Feedback Equation');
    expect(offered('How do I find a sponsor for my promotion to staff?')).toContain('Sponsorship vs Mentorship');
  });
});
