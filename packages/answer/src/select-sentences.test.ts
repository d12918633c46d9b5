import { describe, expect, it } from 'vitest';
import { retrievedPassage } from '../test/retrieved-passage.js';
import {
  adviceList,
  isQuotable,
  leansOnPrevious,
  selectSentences,
  speaksForItself,
  standaloneSentences,
  toldAsAccount,
  toldAsStory,
} from './select-sentences.js';

describe('standaloneSentences', () => {
  it('does not quote a sentence alone when the next one takes it back or limits it', () => {
    const passage = retrievedPassage(0, {
      text: [
        'One sure-fire way to align technical direction is to route all related decisions to one architect.',
        "This works well but is challenging to scale, and the quality of an architect's decisions degrade the further they get from real work on real code in the real process.",
        'Teams that write down their decisions in design documents keep their direction without a single gatekeeper.',
      ].join(' '),
    });
    const texts = standaloneSentences(passage, 0).map((sentence) => sentence.text);
    expect(texts.some((text) => text.startsWith('One sure-fire way'))).toBe(false);
    expect(texts).toContain('Teams that write down their decisions in design documents keep their direction without a single gatekeeper.');
  });

  it('takes a sentence that leans on the one before together with it, as one verbatim span', () => {
    const text =
      'A staff engineer sets technical direction across several teams at once. It is distinct from a tech lead manager, who sits on the management ladder.';
    const [pair, ...rest] = standaloneSentences(retrievedPassage(0, { text }), 0);
    expect(pair!.text).toBe(text);
    expect(text).toContain(pair!.text);
    expect(rest).toEqual([]);
  });

  it('keeps a quotable pair when the next leaning sentence would spoil it, rather than losing all three', () => {
    const pair =
      "The Right Hand extends an executive's attention, borrowing their scope and authority to operate on complex problems. They add leadership bandwidth to a senior leader of a large organisation.";
    const text = `${pair} This archetype generally appears only in very large engineering organisations.`;
    expect(standaloneSentences(retrievedPassage(0, { text }), 0).map((sentence) => sentence.text)).toEqual([pair]);
  });

  it('leaves out a leaning sentence with nothing before it to lean on, and sentences that end in a colon', () => {
    const text = [
      'They often get promoted for the wrong reasons and nobody notices until later.',
      'Good sponsorship gives someone a real chance of landing the next big project:',
      'Sponsors advocate for people in the rooms where those people are not present.',
    ].join('\n');
    const quoted = standaloneSentences(retrievedPassage(0, { text }), 0).map((sentence) => sentence.text);
    expect(quoted).toEqual(['Sponsors advocate for people in the rooms where those people are not present.']);
  });

  it('spots leaning starts and unquotable endings', () => {
    expect(leansOnPrevious('It is distinct from a manager.')).toBe(true);
    expect(leansOnPrevious('"This means the team slows down."')).toBe(true);
    expect(leansOnPrevious('Itemised budgets help teams plan.')).toBe(false);
    // A pronoun among the first words points back as surely as one that opens the sentence.
    for (const leaning of [
      'Use it for positive feedback too.',
      'Sponsoring them is part of your job as their manager.',
      'For them, the usual advice about networking does not apply.',
      "Camille Fournier included them in The Manager's Path.",
    ])
      expect(leansOnPrevious(leaning), leaning).toBe(true);
    for (const standing of [
      'Make it clear that the decision is final and who made it.',
      'Ask your reports what they want from the meeting.',
      'Good managers find it hard to delegate at first.',
      'Reports own the agenda of their one-on-ones with you.',
    ])
      expect(leansOnPrevious(standing), standing).toBe(false);
    expect(isQuotable('There are three reasons:')).toBe(false);
    // A demonstrative with no noun points back; one whose noun a colon spells out points ahead.
    expect(isQuotable('Making the split explicit reduces these, and helps new leaders step in.')).toBe(false);
    expect(isQuotable('Most managers never do this.')).toBe(false);
    expect(isQuotable('The playbook follows from these rules: teams sit at six to eight engineers in steady state.')).toBe(true);
    expect(isQuotable('Teams that skip these steps ship later than the ones that plan.')).toBe(false);
    expect(isQuotable('Split it into two teams of four or five, each with a manager, and grow those back up.')).toBe(true);
    expect(isQuotable('Once the launch is done, hand those over to the platform group.')).toBe(false);
    expect(isQuotable('Feedback works best when it is specific and timely.')).toBe(true);
    expect(isQuotable('What would you do if your best engineer quit tomorrow?')).toBe(false);
    expect(isQuotable('Where should the boundary between two teams be? He concluded that sizing is the challenge.')).toBe(false);
    expect(isQuotable('Ask for the impact: "What did it affect?" and listen.')).toBe(true);
  });
});

describe('selectSentences', () => {
  const passages = [
    retrievedPassage(0, {
      text: 'Give feedback with an observation of the behaviour you saw. Describe the impact that the behaviour had, as part of the feedback, on the team. Feedback that starts with an observation is easier to hear.',
    }),
    retrievedPassage(1, {
      text: 'End the feedback with a question or a request, so the conversation stays open and the person can respond.',
    }),
    retrievedPassage(2, { text: 'Quarterly planning needs a calendar that every team agrees to ahead of the quarter.' }),
  ];

  it('covers the parts of the question before repeating one, and leaves out what does not match', () => {
    const chosen = selectSentences('How do I give feedback with an observation, its impact and a request?', passages, { max: 3 });
    const texts = chosen.map((sentence) => sentence.text);
    expect(texts).toHaveLength(3);
    expect(texts.some((text) => text.includes('impact'))).toBe(true);
    expect(texts.some((text) => text.includes('request'))).toBe(true);
    expect(texts.some((text) => text.includes('Quarterly'))).toBe(false);
  });

  it('does not pick a near repeat of a sentence it already chose', () => {
    const repeated = [
      retrievedPassage(0, { text: 'Sponsors advocate for people in rooms those people are not in.' }),
      retrievedPassage(1, { text: 'Sponsors advocate for people in the rooms those people are not in.' }),
      retrievedPassage(2, { text: 'Mentors give advice and guidance to people in private conversations.' }),
    ];
    const texts = selectSentences('What is the difference between sponsors and mentors for people?', repeated, { max: 2 }).map(
      (sentence) => sentence.text,
    );
    expect(texts).toHaveLength(2);
    expect(texts.some((text) => text.startsWith('Mentors'))).toBe(true);
  });

  it('respects exclusions and the per-passage limit', () => {
    const chosen = selectSentences('feedback observation impact behaviour', passages, {
      max: 5,
      perPassage: 1,
      exclude: new Set(['Give feedback with an observation of the behaviour you saw.']),
    });
    expect(chosen.filter((sentence) => sentence.passageIndex === 0)).toHaveLength(1);
    expect(chosen.map((sentence) => sentence.text)).not.toContain('Give feedback with an observation of the behaviour you saw.');
  });
});

describe('standaloneSentences: fragments and references a quote cannot carry', () => {
  const quoted = (text: string) => standaloneSentences(retrievedPassage(0, { text }), 0).map((sentence) => sentence.text);

  it('leaves out a piece of a list: lower case, a subordinate clause alone, or an indirect question alone', () => {
    expect(quoted('a standing incident that keeps eating the platform team every single week.')).toEqual([]);
    expect(quoted('Where the old deploy tooling still slows every release down.')).toEqual([]);
    expect(quoted('Who owns the roadmap and who only gets to comment on it.')).toEqual([]);
  });

  it('leaves out a sentence that points back at something it does not name, and one that states a fix without its problem', () => {
    expect(quoted('Product and design should lead this step of the planning process.')).toEqual([]);
    expect(quoted('The fix is to reduce work in progress until the team finishes things.')).toEqual([]);
    // With what it points back to, as one span, it stands.
    const pair =
      'Falling behind means the backlog grows every week and the team firefights. The fix is to add people while protecting morale.';
    expect(quoted(pair)).toEqual([pair]);
    expect(quoted('A staff engineer sets direction across teams, and this engineer often partners with a manager.')).toHaveLength(1);
  });

  it('leaves out a quotation cut in two, and a question ending inside its quotation marks', () => {
    expect(quoted('For example, instead of hinting, try: "The last two docs had no alternatives.')).toEqual([]);
    expect(quoted('What would help you do that next time around with the team?"')).toEqual([]);
  });
});

describe('selectSentences: what the question is about', () => {
  it('does not pick a sentence that shares only words every passage uses ("team", "engineers")', () => {
    const passages = [
      retrievedPassage(0, { text: 'Managers should support six to eight engineers on a team so they have time to coach.' }),
      retrievedPassage(1, { text: 'Sponsors advocate for engineers in calibration when promotions are decided.' }),
    ];
    const texts = selectSentences('How do I get my team promoted fairly in calibration?', passages, { max: 3 }).map((s) => s.text);
    expect(texts).toEqual(['Sponsors advocate for engineers in calibration when promotions are decided.']);
  });

  it('does not pick a sentence that shares only the words a question is framed in ("best", "thinking of", "want")', () => {
    const passages = [
      retrievedPassage(0, { text: 'The value of a model is in the thinking it forces, not in a precise simulation.' }),
      retrievedPassage(1, { text: 'A technical concern is best answered by a strong engineer on the interview loop.' }),
      retrievedPassage(2, { text: 'People rarely quit over pay alone; they quit when growth, autonomy or recognition stalls.' }),
    ];
    const question = 'My best engineer is thinking of quitting and I want to know the best way to keep her';
    expect(selectSentences(question, passages, { max: 3 }).map((s) => s.text)).toEqual([
      'People rarely quit over pay alone; they quit when growth, autonomy or recognition stalls.',
    ]);
    // Nothing but framing words in common: nothing to quote.
    expect(selectSentences('What is the best way to think about burnout?', passages.slice(0, 2), { max: 3 })).toEqual([]);
  });
  it('reads "cycle time" as the pair, not the word "cycle" of a promotion cycle', () => {
    const passages = [
      retrievedPassage(0, { text: 'Feedback must flow throughout the promotion cycle, not only at its end.' }),
      retrievedPassage(1, { text: 'Cycle time rises when reviews queue up, so watch the time a change waits for review.' }),
    ];
    const texts = selectSentences('Our cycle time doubled over the summer. Why?', passages, { max: 2 }).map((s) => s.text);
    expect(texts).toEqual(['Cycle time rises when reviews queue up, so watch the time a change waits for review.']);
  });

  it('reads "staff engineer" and "tech lead" as pairs, and "become" as a framing word, not the verb "to staff"', () => {
    const passages = [
      retrievedPassage(0, {
        text: 'Infrastructure becomes an ego trip when several teams staff competing solutions to the same problem.',
      }),
      retrievedPassage(1, {
        text: 'Most staff engineers reach the title by sustaining staff-level impact for a year or more before the promotion.',
      }),
      retrievedPassage(2, { text: 'The tech industry rewards the loudest voice in a design review.' }),
      retrievedPassage(3, { text: 'A tech lead scopes and sequences the work of one team with its manager.' }),
    ];
    expect(selectSentences('How do I become a staff engineer?', passages, { max: 3 }).map((s) => s.text)).toEqual([
      'Most staff engineers reach the title by sustaining staff-level impact for a year or more before the promotion.',
    ]);
    expect(selectSentences('What does a tech lead do all day?', passages, { max: 3 }).map((s) => s.text)).toEqual([
      'A tech lead scopes and sequences the work of one team with its manager.',
    ]);
    // An adjective before "engineers" that the passages do not use with it makes no pair: the word keeps its weight.
    const metrics = [retrievedPassage(0, { text: 'Metrics that punish individuals do more harm than the problem they measure.' })];
    expect(selectSentences('Should we rank individual engineers?', metrics, { max: 1 }).map((s) => s.text)).toEqual([
      'Metrics that punish individuals do more harm than the problem they measure.',
    ]);
  });

  it('prefers a sentence that speaks for itself to one told in the first person, and quotes the latter when it is all there is', () => {
    expect(speaksForItself('I often get people asking me how to reach staff.')).toBe(false);
    expect(speaksForItself('After two years my manager put me up for promotion.')).toBe(false);
    expect(speaksForItself('Say "I am noticing I get defensive" out loud.')).toBe(true);
    expect(speaksForItself('Immediately ask the IMF.')).toBe(true);
    expect(speaksForItself('Name the layers, i.e. product, domain and infrastructure, and (i) who owns each.')).toBe(true);
    expect(speaksForItself('Teams mine their incident data for patterns.')).toBe(true);
    expect(speaksForItself('Me? I would wait.')).toBe(false);
    expect(speaksForItself('That was hard for me.')).toBe(false);
    expect(speaksForItself('I.e. the platform team owns it.')).toBe(true);
    const story = retrievedPassage(0, { text: 'I got promoted to staff after I wrote a promotion packet with my manager.' });
    const guide = retrievedPassage(1, { text: 'A promotion packet for staff shows the impact of your work beyond your team.' });
    const question = 'What goes into a promotion packet for staff?';
    // A story of the speaker's own career is not quoted at all (audit 32: 43 of 46 such quotes were off the point);
    // what they learned or recommend, told in the first person, is quoted after what speaks for itself.
    expect(selectSentences(question, [story, guide], { max: 2 }).map((s) => s.passageIndex)).toEqual([1]);
    expect(selectSentences(question, [story], { max: 1 })).toEqual([]);
    const lesson = retrievedPassage(0, { text: 'I learned that a promotion packet for staff needs the impact beyond your own team.' });
    // Session 33's audit: lines told in the first person were off the question 19 times in 24; what speaks for itself
    // is quoted alone when it answers, and the lesson only when nothing else does.
    expect(selectSentences(question, [lesson, guide], { max: 2 }).map((s) => s.passageIndex)).toEqual([1]);
    expect(selectSentences(question, [lesson], { max: 1 }).map((s) => s.passageIndex)).toEqual([0]);
  });

  it("quotes an interview's sentences only when nothing else answers, however each is worded", () => {
    const interview = retrievedPassage(0, {
      text: [
        'I joined the platform team in 2018 and my first project was the deploy pipeline.',
        'At our company, a promotion packet for staff lists every project of the last two years.',
        'I wrote mine with my manager over a few weeks, and I asked my skip-level to read it.',
        'My advice is to start early.',
      ].join(' '),
    });
    const guide = retrievedPassage(1, { text: 'A promotion packet for staff shows the impact of your work beyond your team.' });
    const question = 'What goes into a promotion packet for staff?';
    expect(toldAsAccount(interview)).toBe(true);
    expect(toldAsAccount(guide)).toBe(false);
    expect(selectSentences(question, [interview, guide], { max: 2 }).map((s) => s.text)).toEqual([guide.text]);
    // Alone, the interview still answers.
    expect(selectSentences(question, [interview], { max: 1 }).map((s) => s.passageIndex)).toEqual([0]);
  });

  it('tells a story of the speaker from what they learned or recommend', () => {
    for (const story of [
      'Around 2015, I started mentoring and doing 1:1s with a couple of new hires.',
      'This week alone, I had 12 30-minute 1-1s.',
      'I work at IBM on the Cognos Analytics for Mobile team.',
      'Early on, our database was struggling and I became DBA for a while.',
      'My previous manager pushed me to write more design docs.',
    ])
      expect(toldAsStory(story), story).toBe(true);
    for (const advice of [
      'I approached people asking them for their thoughts before the meeting, securing the buy-in first.',
      'I used nemawashi: talking to each stakeholder one by one before the decision meeting.',
      "I learned that sponsorship matters more than any mentoring I'd done.",
      'I think the best staff engineers write things down.',
      'Write the promotion packet with your manager.',
      'I recommend a weekly written update to your director.',
    ])
      expect(toldAsStory(advice), advice).toBe(false);
  });

  it('does not quote titles, labels or lines that point at text the reader cannot see', () => {
    for (const fragment of [
      'On becoming a senior technical leader by Jesse Pollak',
      '"Daily Stand-Up Meetings: Start Breaking the Rules".',
      'Funnel performance: where candidates drop off, and how long each stage takes.',
      "The above approach works well most of the time, but not always, when you're dealing with a jerk.",
      'Examples include the shared model of an order and the payment ledger.',
      'For each item, think about who could help you with it.',
    ])
      expect(isQuotable(fragment), fragment).toBe(false);
    const prompt = retrievedPassage(0, {
      text: 'You first got the title Staff engineer at Box. What was the process of getting promoted to Staff?\nAt Box, we submit a promotion case that outlines how we already operate at the next level.',
    });
    expect(standaloneSentences(prompt, 0).map((sentence) => sentence.text)).toEqual([
      'At Box, we submit a promotion case that outlines how we already operate at the next level.',
    ]);
    // A paragraph of advice that ends by asking the reader something keeps its advice; an instruction before a colon is no label.
    const advice = retrievedPassage(0, {
      text: 'If you manage senior engineers doing staff-level work, recognise that you are their most important advocate. Which of them would you put forward today?',
    });
    expect(standaloneSentences(advice, 0).map((sentence) => sentence.text)).toEqual([
      'If you manage senior engineers doing staff-level work, recognise that you are their most important advocate.',
    ]);
    expect(isQuotable("Rotate in deeper questions: what's going well, what's hard, and what they would change.")).toBe(true);
  });

  it('reads a follow-up with few words of its own in the light of the turns before it', () => {
    const passages = [
      retrievedPassage(0, { text: 'Rotate on-call across enough engineers that nobody is paged more than one week in six.' }),
      retrievedPassage(1, { text: 'Quarterly planning needs a calendar every team agrees to.' }),
    ];
    const earlier = 'Our on-call rotation pages the same three people every week. How do I fix it?';
    const texts = selectSentences('what else could we try?', passages, { max: 2, context: earlier }).map((s) => s.text);
    expect(texts).toEqual(['Rotate on-call across enough engineers that nobody is paged more than one week in six.']);
  });

  it('leaves out a pick far weaker than the best, and sentences from passages an earlier answer quoted come last', () => {
    const passages = [
      retrievedPassage(0, { text: 'Retrospectives should end with one change the team commits to and a named owner for it.' }),
      retrievedPassage(1, { text: 'Retrospectives go quiet when the same change is promised and never made.' }),
    ];
    const texts = selectSentences('Why do our retrospectives never lead to a change?', passages, { max: 1, stale: new Set([0]) }).map(
      (s) => s.text,
    );
    expect(texts).toEqual(['Retrospectives go quiet when the same change is promised and never made.']);
  });
});

describe('selectSentences: by meaning as well as words', () => {
  // Both share "feedback" with the question; only the second speaks to what it asks.
  const passages = [
    retrievedPassage(0, {
      text: 'Engineers in meetings need explicit feedback weekly from their managers, or their growth slows down.',
    }),
    retrievedPassage(1, {
      text: 'Give feedback about interruptions right after meetings, privately and with one concrete example.',
    }),
  ];
  const question = 'How do I give feedback to an engineer who talks over people in meetings?';
  /** A stand-in for the embedder: close to the question for the sentence about the meeting, far for the other. */
  const meaning = (asked: string, texts: readonly string[]) =>
    texts.map((text) => (asked === question ? (/interruptions/.test(text) ? 0.7 : 0.2) : text === asked ? 1 : 0.3));

  it('quotes the sentence that speaks to the question first, where words alone would not', () => {
    const byWords = selectSentences(question, passages, { max: 1 }).map((sentence) => sentence.text);
    const byMeaning = selectSentences(question, passages, { max: 1, meaning }).map((sentence) => sentence.text);
    expect(byWords[0]).toMatch(/^Engineers in meetings/);
    expect(byMeaning[0]).toMatch(/^Give feedback about interruptions/);
  });

  it("admits a sentence close in meaning that shares fewer of the question's words", () => {
    const few = [
      retrievedPassage(0, {
        text: 'Feedback on meetings and retrospectives works when the engineer hears an observation of the behaviour and its impact on the meeting.',
      }),
      retrievedPassage(1, {
        text: 'Raise the interrupting with the engineer soon after it happens, one to one and in private, with a specific example and a clear request for change.',
      }),
    ];
    const close = (_asked: string, texts: readonly string[]) => texts.map((text) => (/Raise the interrupting/.test(text) ? 0.8 : 0.5));
    const asked = 'How do I give feedback on meetings to an engineer who keeps interrupting?';
    const byWords = selectSentences(asked, few, { max: 2 }).map((sentence) => sentence.text);
    const byMeaning = selectSentences(asked, few, { max: 2, meaning: close }).map((sentence) => sentence.text);
    expect(byWords).toHaveLength(1);
    expect(byMeaning).toHaveLength(2);
  });
});

describe('sentences that only make sense after the one before', () => {
  it('reads "In the second, …" and "The first group …" as leaning on what came before', () => {
    expect(leansOnPrevious('In the second, common at fast-growing companies, infrastructure becomes an ego trip.')).toBe(true);
    expect(leansOnPrevious('The first group has miscalibrated their own impact on the organisation.')).toBe(true);
    expect(leansOnPrevious('The first 1:1 is the foundation; the regular ones need care too.')).toBe(false);
  });

  it('does not quote the gerund items of a list of pitfalls, which name what goes wrong', () => {
    const text = [
      '- Assuming the engineering manager owns everything nobody else claimed.',
      '- Skipping the conversation with the product manager leaves gaps that nobody sees.',
    ].join('\n');
    expect(standaloneSentences(retrievedPassage(0, { heading: 'The team leader Venn diagram › Pitfalls', text }), 0)).toEqual([]);
    expect(standaloneSentences(retrievedPassage(0, { heading: 'The team leader Venn diagram › Why it helps', text }), 0)).toHaveLength(2);
  });

  it('does not quote a gerund phrase with no verb of its own (an item of a list of pitfalls)', () => {
    expect(isQuotable('Treating the diagram as a fixed org-wide rule instead of a team-level conversation.')).toBe(false);
    expect(isQuotable('Building trust with a new team takes longer than most managers expect.')).toBe(true);
  });
});

describe('sentences about the writing, and openings that stand for something unsaid', () => {
  it('does not quote what the note or the book is, where an idea comes from, or what its author set out to do', () => {
    for (const sentence of [
      'Several chapters first appeared as posts on lethain.com, and the book collects them with new material.',
      'The book discusses measuring for different audiences, from the board to the teams.',
      'The framework comes from coach Paloma Medina and is remembered as BICEPS.',
      'Before starting a new executive role, Larson wanted something more tactical than the generic advice.',
      'Jack Danger starts from a problem every growing company hits when its teams multiply.',
      'Larson describes strategy as a diagnosis and policies. He also covers annual and quarterly planning in depth.',
      'Larson describes a moment every engineering executive eventually faces: the reorg nobody asked for.',
    ])
      expect(isQuotable(sentence), sentence).toBe(false);
    // What an author argues, recommends or describes something as is advice, and sentences about books in general stay.
    for (const sentence of [
      'Larson recommends writing five design documents before attempting a strategy.',
      'Larson describes engineering strategy as a diagnosis, guiding policies and coherent actions.',
      'Write the design doc before the book of record comes from finance.',
      'Ask where the request comes from before you agree to the deadline.',
    ])
      expect(isQuotable(sentence), sentence).toBe(true);
  });

  it('reads "Beyond that level", "The exception is" and "argues the opposite" as leaning on what came before', () => {
    expect(leansOnPrevious('Beyond that level, the expectation of progress disappears and many stay senior for good.')).toBe(true);
    expect(leansOnPrevious('At that point the team stops shipping and starts firefighting.')).toBe(true);
    expect(leansOnPrevious('The exception is a low-margin product where cost efficiency is central to the business model.')).toBe(true);
    expect(leansOnPrevious('Larson argues the opposite: good engineering strategy is boring.')).toBe(true);
    expect(leansOnPrevious('The opposite of delegation is not control but neglect.')).toBe(false);
    expect(leansOnPrevious('Grow that team slowly, one hire a quarter.')).toBe(false);
  });

  it('does not quote a sentence that ends on a pronoun for something before it, nor lets it carry the next one', () => {
    expect(isQuotable('You can be managed out for staying too long below it.')).toBe(false);
    expect(isQuotable('Most teams need far more than that.')).toBe(false);
    expect(isQuotable('Write the strategy down and share it.')).toBe(true);
    const text = 'You can be managed out for staying too long below it. Beyond that level, the expectation of progress disappears.';
    expect(standaloneSentences(retrievedPassage(0, { text }), 0)).toEqual([]);
  });

  it('does not quote a list of clauses with no sentence around it', () => {
    expect(isQuotable('Where revenue comes from, where money goes, and what makes the domain unusual.')).toBe(false);
    expect(isQuotable('Where teams share a codebase, agree on the review rules before the first conflict.')).toBe(true);
  });
});

describe('adviceList', () => {
  const habits = retrievedPassage(0, {
    heading: 'Building effective 1:1s › Making ongoing 1:1s effective',
    text: [
      'The first 1:1 is the foundation; the regular ones need care too. Practical habits:',
      '',
      '- Let the report own the agenda, with a shared doc where either of you can add topics.',
      '- Cover more than status. Use the time for growth, feedback in both directions and blockers.',
      '- Use silence. Many managers find that pausing longer after a question gets more honest answers.',
      '- Protect the time. Constantly rescheduling 1:1s signals low priority; reschedule rather than cancel.',
      '- Treating the agenda as a status report instead of a conversation.',
    ].join('\n'),
  });
  const other = retrievedPassage(1, { text: 'Constantly rescheduling 1:1s signals low priority to every report on the team.' });

  it("quotes the author's imperative items under a heading on the question's subject, whole and in order", () => {
    const listed = adviceList("every 1:1 she just says 'all good' and we end in 10 min", [habits, other]);
    expect(listed.map((item) => item.text)).toEqual([
      'Let the report own the agenda, with a shared doc where either of you can add topics.',
      'Cover more than status. Use the time for growth, feedback in both directions and blockers.',
      'Use silence. Many managers find that pausing longer after a question gets more honest answers.',
    ]);
    for (const item of listed) expect(habits.text).toContain(item.text);
  });

  it('takes no list under a heading on another subject, one of fewer than three imperatives, or a passage the last answer quoted', () => {
    expect(adviceList('how do I close a senior candidate who has two other offers', [habits, other])).toEqual([]);
    const short = retrievedPassage(0, { heading: habits.heading, text: habits.text.split('\n').slice(0, 4).join('\n') });
    expect(adviceList('how do I make my 1:1s better', [short])).toEqual([]);
    expect(adviceList('how do I make my 1:1s better', [habits], { stale: new Set([0]) })).toEqual([]);
  });

  it('leaves the rest of the answer to the sentences, which add to the list rather than repeat it', () => {
    const listed = adviceList('how do I make my 1:1s better', [habits, other]);
    const rest = selectSentences('how do I make my 1:1s better', [habits, other], { max: 2, covered: listed });
    for (const sentence of rest) expect(listed.some((item) => item.text.includes(sentence.text))).toBe(false);
    expect(rest.filter((sentence) => sentence.passageIndex === 0)).toEqual([]);
  });
});
