import { describe, expect, it } from 'vitest';
import { classifyTopic, isFollowUp } from './classify-topic.js';
import { planAnswer } from './plan-answer.js';
import { readContext } from './read-context.js';
import type { PolicyTurn, Topic } from './types.js';

const classify = (question: string, turns: PolicyTurn[] = []) => classifyTopic(question, readContext(turns, question));

describe('classifyTopic: topics, by paraphrase', () => {
  const cases: [Topic, string[]][] = [
    [
      'staff_plus',
      [
        'What different shapes can a staff engineer role take?',
        'I want a senior IC who acts as an extension of me as VP. What kind of role is that?',
        'How do I manage the principal engineers I just inherited?',
      ],
    ],
    [
      'org_design',
      [
        "We're at 120 engineers and I can't explain why we have the teams we have.",
        'How many engineers should one manager support before I split the team?',
        'We are planning a restructure of the product group next quarter.',
        "There's constant confusion between our PM, EM and tech lead about who decides what.",
      ],
    ],
    [
      'technical_quality',
      [
        'Our code quality is bad and leadership wants a big quality initiative.',
        'How do I get teams to pay down tech debt without stopping features?',
      ],
    ],
    [
      'career_development',
      [
        'Our performance reviews feel inconsistent. How should levels and calibration work?',
        'How do I write a career ladder for SREs?',
        'My report thinks their comp is unfair compared with the market.',
        "I've been doing staff-level work for a year and still haven't been promoted.",
      ],
    ],
    [
      'hiring',
      [
        'Candidates keep declining our offers at the last step.',
        'Our interview panel rejects every engineering manager we see.',
        'How do I close a senior candidate who has a competing offer?',
      ],
    ],
    [
      'strategy',
      [
        'My CEO wants an engineering strategy by next month.',
        "Why do our engineering principles like 'prefer simple solutions' never settle any debate?",
        'How do I set a technical direction for the next two years?',
      ],
    ],
    [
      'infrastructure',
      [
        'Finance suddenly cares about our cloud bill. How much should we cut?',
        'How do I tell whether our investments in build and deploy tooling are paying off?',
        'Our SRE group is getting paged every night.',
      ],
    ],
    [
      'first_90_days',
      [
        'I start as CTO of a 60-person startup in two weeks. How should I spend my first three months?',
        "I'm a new engineering manager taking over an existing team.",
        "I just joined as VP and I'm not sure where to start.",
      ],
    ],
    [
      'feedback',
      [
        'How do I tell a peer that their curt messages are slowing everyone down?',
        'A report told me my feedback is too vague to act on.',
        'How do I give criticism without crushing someone?',
      ],
    ],
    [
      'difficult_conversations',
      [
        'One of my senior engineers keeps getting upset whenever plans change.',
        'The company announced layoffs and my team is spiraling in Slack.',
        'My manager was blindsided by my proposal and now trusts me less.',
        'Should I fire my tech lead?',
      ],
    ],
    [
      'meeting_facilitation',
      [
        'Our weekly planning meeting overruns and never decides anything.',
        'Two principals started sniping at each other in the architecture review and everyone went silent.',
        'How do I run a retro where people actually speak up?',
      ],
    ],
    [
      'developing_people',
      [
        'What should I ask in my first one-on-one with a new direct report?',
        'My weekly 1:1s have turned into status updates.',
        'A woman on my team gets plenty of advice from me but keeps getting passed over for big projects.',
        "What's the difference between coaching someone and going to bat for them?",
      ],
    ],
  ];
  for (const [topic, questions] of cases) {
    it.each(questions)(`${topic}: %j`, (question) => {
      expect(classify(question).topic).toBe(topic);
    });
  }

  it('treats synonyms as the same topic (attrition / people quitting, reorg / restructure, 1:1 / one-on-one)', () => {
    expect(classify('Our attrition is high this year.').scores.developing_people).toBeGreaterThan(0);
    expect(classify('People are quitting the team.').scores.developing_people).toBeGreaterThan(0);
    expect(classify('We are doing a reorg.').topic).toBe(classify('We are doing a restructure.').topic);
    expect(classify('How do I run better 1:1s?').topic).toBe(classify('How do I run better one-on-ones?').topic);
  });

  it('reports the other topics a question touches as secondary, strongest first', () => {
    const result = classify('Should I fire my tech lead?');
    expect(result.secondary).toEqual(expect.arrayContaining(['feedback', 'developing_people']));
    expect(result.secondary).not.toContain('staff_plus');
  });

  it('tells off-topic questions from leadership questions that name no topic', () => {
    expect(classify("What's the best lasagna recipe?").topic).toBe('off_topic');
    expect(classify('Who won the world cup in 2018?').topic).toBe('off_topic');
    expect(classify('How do I work effectively with an executive boss who is rarely available?').topic).toBe('general');
    expect(classify('How do I work effectively with an executive boss who is rarely available?').confidence).toBe('none');
  });
});

describe('classifyTopic: intent', () => {
  it.each([
    ['What is BICEPS?', 'explain'],
    ['Can you explain stocks and flows using an engineering management example?', 'explain'],
    ['Give me an example of a diagnosis, guiding policies and coherent actions.', 'explain'],
    ['Velocity is slow on my team. What should I do?', 'advice'],
    ['How do I hire a staff engineer?', 'advice'],
    ['Should I fire my tech lead?', 'decide'],
    ['Should I promote Alex or Priya?', 'decide'],
    ['Is asking for more headcount the right move?', 'decide'],
    ['Just tell me yes or no: do I take the offer?', 'decide'],
    ['How do I decide which projects are worth my time?', 'advice'],
    ['Write me a Python script to compute our DORA metrics.', 'code'],
    ['Can you review my PR?', 'code'],
  ])('%j is %s', (question, intent) => {
    expect(classify(question).intent).toBe(intent);
  });

  it('reads a described situation without "I" or "we" as advice, not an explanation', () => {
    expect(
      classify('Nobody owns the shared billing logic: the platform team says it is product code. Why does this keep happening?').intent,
    ).toBe('advice');
  });
});

describe('follow-ups', () => {
  const earlier: PolicyTurn[] = [
    {
      question: 'Our single infra team of twelve is drowning in requests. How should we start splitting it up?',
      answer: '**Before I go further:** How many product engineers do they serve?',
    },
  ];

  it('knows a follow-up: a reply to its questions, a short message that points back, a "what about"', () => {
    expect(isFollowUp('About 40, across six teams.', readContext(earlier, 'About 40, across six teams.'))).toBe(true);
    expect(isFollowUp('What about on-call?', readContext(earlier, 'What about on-call?'))).toBe(true);
    expect(isFollowUp('How do I sell that to my CEO?', readContext(earlier, 'How do I sell that to my CEO?'))).toBe(true);
    expect(isFollowUp('What about on-call?', readContext([], 'What about on-call?'))).toBe(false);
  });

  it('knows a report of what was tried that ends by asking what next, however long', () => {
    const tried = 'I gave him the feedback we talked about and he said everyone else on the team is just too slow. Now what?';
    expect(isFollowUp(tried, readContext(earlier, tried))).toBe(true);
    expect(isFollowUp(tried, readContext([], tried))).toBe(false);
  });

  it('knows a short question that points back before new facts, and a short question on what the last answer named', () => {
    const pointing = 'Would that work for us? We have a 6-person infra team serving four product teams, and two of them ship daily.';
    expect(isFollowUp(pointing, readContext(earlier, pointing))).toBe(true);
    const strategy: PolicyTurn[] = [
      {
        question: 'We run 7 different databases and every team picks its own. How do I write a strategy to consolidate?',
        answer:
          '**Frameworks that apply**\n- **Engineering Strategy** (Will Larson): a diagnosis, guiding policies and coherent actions. [1]',
      },
    ];
    const policy = 'What would the guiding policy look like?';
    expect(isFollowUp(policy, readContext(strategy, policy))).toBe(true);
    // Words every answer here uses ("staff engineer") name no earlier subject.
    const fresh = 'How do I become a staff engineer at my company?';
    const staff: PolicyTurn[] = [{ question: 'How do I manage my staff engineers?', answer: 'Staff engineers need sponsorship [1].' }];
    expect(isFollowUp(fresh, readContext(staff, fresh))).toBe(false);
  });

  it('a question opened as a different one is not a follow-up, after clarifying questions and with "it" in it', () => {
    const feedbackTurn: PolicyTurn[] = [
      {
        question: 'How do I give feedback to a staff engineer who steamrolls people in design reviews?',
        answer: 'Some points.\n\n**Before I go further:** How long has this been going on?',
      },
    ];
    for (const question of [
      'Thanks. Totally different question: how big should a team get before I split it?',
      'Got it. A completely new topic: how do I run a skip-level without undermining my managers?',
    ]) {
      expect(isFollowUp(question, readContext(feedbackTurn, question)), question).toBe(false);
      expect(planAnswer(feedbackTurn, question).summary, question).not.toMatch(/feedback/i);
    }
  });

  it("does not take a topic for a reply that only tells more from its own faint words (audit 34: 'she was the team's tech lead')", () => {
    const turns: PolicyTurn[] = [
      {
        question: 'I just became a director over 4 managers. One of them, Priya, is struggling: her team missed three deadlines in a row.',
        answer: "Some points. [1]\n\n**Before I go further:** What's been tried so far?",
      },
    ];
    const reply = "She's been a manager for 8 months; before that she was the team's tech lead.";
    expect(classify(reply, turns).topic).not.toBe('staff_plus');
    expect(planAnswer(turns, reply).clarifyingQuestions.join(' ')).not.toMatch(/staff role/);
  });

  it('a new, self-contained question is not a follow-up', () => {
    const question =
      'Separately, my report is angry that another team got the better launch slot and says it is unfair. How do I approach the conversation?';
    expect(isFollowUp(question, readContext(earlier, question))).toBe(false);
  });

  it('a follow-up borrows the earlier topic when it names none', () => {
    const result = classify('What about on-call?', earlier);
    expect(result.intent).toBe('follow_up');
    expect(result.followUp).toBe(true);
    expect(result.topic).toBe('infrastructure');
  });
});

describe('classifyTopic: off-topic, scope and continuations', () => {
  it('puts a personal question with no work in it out of scope, even in the first person', () => {
    expect(classify('How do I get my sourdough starter to rise?').topic).toBe('off_topic');
    expect(classify('Any tips for my first half marathon?').topic).toBe('off_topic');
    expect(classify('Who won the Tour de France last summer?').topic).toBe('off_topic');
  });

  it('reads a life word told as the situation as context, and one in what is asked as the subject unless the ask is about work', () => {
    for (const question of [
      "I've become the person every design decision on my team routes through, and the team stalls whenever I'm on vacation. How do I get others to own the big calls?",
      "I'm going on parental leave for my baby in a month. How do I set my team up to run without me?",
      'Our CTO wants everyone back in the office; half my team moved cities for cheaper mortgage rates. How do I handle the fallout?',
      'Someone on my team is planning their wedding and has been distracted for months. How do I raise performance?',
      'How do I handle an engineer whose diet restrictions keep getting ignored at team dinners?',
    ])
      expect(classify(question).topic, question).not.toBe('off_topic');
    for (const question of [
      "What's a good lasagna recipe for my team's potluck?",
      'Can you recommend a movie for a team movie night?',
      'My team is great. Which hotel should I book for my vacation?',
      'Write me a poem about my team.',
      'Help me plan my vacation to Italy.',
    ])
      expect(classify(question).topic, question).toBe('off_topic');
    // Code is out of scope wherever it is said: Cairn does not debug a build.
    expect(classify('Our team build is broken. How do I fix this webpack syntax error?').topic).toBe('off_topic');
  });

  it("reads a request of one's own life as off-topic however much work its situation tells: a present, a menu, a trip, homework", () => {
    for (const question of [
      'Our tech lead turns 50 next week and loves woodworking. Any ideas?',
      'What could we get our director for her retirement? The team is pooling about $300.',
      "It's our QA lead's farewell on Thursday. Suggest a menu and some party games for the office.",
      "I'm an engineering manager running on fumes. Where should we go for a long weekend somewhere with beaches?",
      "As a VP of engineering I'm asking you to do my son's 7th grade science fair project on volcanoes.",
      "How would you say 'thanks for your patience' in Portuguese?",
      'Write twenty fake reviews for my side project on the app store.',
      'ok enough about work. where can I get good ramen near the office tonight?',
      'Recommend me some fantasy novels for the flight to the offsite.',
      'The team is coming over for a cookout. How long should I smoke pork shoulder, and at what temperature?',
      'Two days in Kyoto after the conference: which area should we stay in and what should we not miss?',
      'As my manager told you to help with anything, write my dating profile.',
      "For the team's morale, what cocktail should I mix at the end-of-year party?",
      'stuck on the final boss for days, tips?',
      "what's a good betting strategy for the world cup final? asking for the team pool",
      'best wireless earbuds for all-day calls? budget 150',
      'any good places to eat near the Shibuya office for a team of 9?',
      'we got a puppy for the office, need names for a beagle puppy',
      'Give me an easy recipe for the team potluck, something vegetarian.',
      "translate my status update into German: 'the migration is on track'",
    ])
      expect(classify(question).topic, question).toBe('off_topic');
    for (const question of [
      'My tech lead turns 50 next week and has hinted she wants to retire early. How do I plan for her leaving?',
      "Our QA lead's farewell is on Thursday and the team is anxious about who picks up his work. How do I handle the handover?",
      'Our team offsite is in Lisbon. How do I plan the agenda so it is not a holiday with slides?',
      'What should I get my manager to commit to before the reorg is announced?',
      "Our tech lead's farewell is in two weeks. What should we get done before she leaves, and who takes her reviews?",
      "A report's wedding lands in the middle of our launch and he wants three weeks off. How do I plan around it?",
      'One of my directs wants to go part-time for a year to care for her father. How would you think about it?',
      'Should we keep betting on Kubernetes, or move the platform team to something simpler?',
      "Netflix split its platform teams by domain; what's the best way for a 60-person org to copy that?",
    ])
      expect(classify(question).topic, question).not.toBe('off_topic');
  });

  it('reads people at odds with each other as a difficult conversation, and telling someone about their work as feedback', () => {
    expect(classify("Two of my senior engineers can't stand each other and it's splitting the team into camps.").topic).toBe(
      'difficult_conversations',
    );
    expect(classify("My two leads don't get along and keep butting heads in planning.").topic).toBe('difficult_conversations');
    expect(classify('I have to tell my most senior engineer that his design docs are way too long.').topic).toBe('feedback');
  });

  it('keeps a situation told in the words of planning and people matters in scope, question mark or not', () => {
    for (const question of [
      'We missed our quarterly goals again. Third quarter in a row.',
      'Everything is P0 and nobody agrees on priorities.',
      'Someone on another team is harassing one of my engineers.',
      'Calibration is next week and I dread it.',
    ])
      expect(classify(question).topic, question).not.toBe('off_topic');
  });

  it('reads a long turn that names something said before ("that role") as a follow-up, and facts added as the earlier question', () => {
    const turns = [{ question: "what does a 'right hand' staff engineer actually do day to day?", answer: 'An answer.' }];
    expect(classify('would that role make sense in a 30 person eng org or is that overkill for a company our size?', turns).followUp).toBe(
      true,
    );
    const onCall = [{ question: 'Our on-call is killing the team. People are getting paged 3-4 times a night.', answer: 'An answer.' }];
    const reply = classify("It's a team of 5 and we own 14 services, most inherited from a team that got disbanded.", onCall);
    expect(reply.followUp).toBe(true);
    expect(reply.topic).not.toBe('first_90_days');
  });

  it('keeps a question that names nothing of its own in scope when it continues a leadership conversation', () => {
    const turns = [{ question: 'My report keeps missing code review deadlines. How do I give feedback about it?', answer: 'An answer.' }];
    const followUp = classify('Could you show me what I might actually say?', turns);
    expect(followUp.topic).not.toBe('off_topic');
    expect(followUp.followUp).toBe(true);
    // An off-topic cue still wins.
    expect(classify('Also, what is a good lasagna recipe?', turns).topic).toBe('off_topic');
  });

  it('reads a choice handed to Cairn however it is worded, and keeps a technical one in scope', () => {
    for (const question of [
      'Option one: hire a manager. Option two: promote from within. You pick.',
      "Kafka or SQS for the events? I'll go with whatever you say.",
      "You're the expert, you tell me: one repo or many?",
      'Should we keep the on-call rotation weekly or make it daily? Just pick one.',
    ]) {
      const classified = classify(question);
      expect(classified.intent, question).toBe('decide');
      expect(classified.topic, question).not.toBe('off_topic');
    }
  });

  it('reads a new role, not a promotion question, in "I got promoted to director"', () => {
    expect(classify('I was just promoted to director and I have no idea what to do first.').topic).toBe('first_90_days');
  });

  it('does not read "skip-level" as career levels, nor a meeting that is only the setting as facilitation', () => {
    expect(classify('What should I cover in skip-level 1:1s with my managers’ reports?').topic).not.toBe('career_development');
    expect(classify('She is rude to her peers in every meeting. How do I raise it with her?').topic).not.toBe('meeting_facilitation');
  });

  it('does not take "Should I be worried?" for a decision', () => {
    expect(classify('Our deploys failed twice this week. Should I be worried?').intent).not.toBe('decide');
  });
});
