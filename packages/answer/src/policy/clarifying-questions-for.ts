import { classifyTopic } from './classify-topic.js';
import { actionAssumptions } from './recognise-assumptions.js';
import { toSecondPerson } from './second-person.js';
import { hash, lowerFirst, plain, receivedFeedback } from './text-tools.js';
import type { Assumption, AssumptionKind, ContextNeed, ConversationContext, Intent, Relation, Topic } from './types.js';

/** What each topic needs to know before advising, most important first. */
export const topicNeeds: Record<Topic, ContextNeed[]> = {
  staff_plus: ['role', 'team_size', 'goal', 'company_stage'],
  org_design: ['team_size', 'company_stage', 'goal', 'tried', 'constraints'],
  technical_quality: ['measure', 'team_size', 'tried', 'constraints'],
  career_development: ['role', 'goal', 'process', 'history'],
  hiring: ['hiring_stage', 'company_stage', 'constraints', 'goal'],
  strategy: ['audience', 'company_stage', 'role', 'tried'],
  infrastructure: ['team_size', 'measure', 'company_stage', 'constraints'],
  first_90_days: ['role', 'team_size', 'history', 'company_stage'],
  feedback: ['people', 'tried', 'history', 'their_view'],
  difficult_conversations: ['people', 'history', 'their_view', 'tried'],
  meeting_facilitation: ['meeting', 'role', 'tried'],
  developing_people: ['people', 'goal', 'tried', 'history'],
  general: ['role', 'team_size', 'tried', 'company_stage', 'constraints'],
  off_topic: [],
};

/** What a challenge already asks: the context question it makes redundant. */
const coveredBy: Partial<Record<AssumptionKind, ContextNeed[]>> = {
  velocity_slow: ['measure', 'history'],
  hire_more: ['goal'],
  fire_someone: ['tried', 'their_view'],
  decide_for_me: ['goal'],
  reorg_fixes: ['goal'],
  arbitrary_ratio: ['goal'],
  individual_metrics: ['measure', 'goal'],
  short_term_fix: ['constraints'],
  rewrite: ['goal', 'tried'],
};

/**
 * Whether the question (or the conversation) already tells what a need asks. Facts in the
 * context count for every turn; the wording-level needs are read from the user's own words.
 */
function isKnown(need: ContextNeed, context: ConversationContext, userText: string): boolean {
  const text = userText.toLowerCase();
  switch (need) {
    case 'team_size':
      // Any count of people ("two staff engineers", "5 managers") answers "how many", even where it is not the team's size.
      return (
        context.sizes.length > 0 ||
        /\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a dozen|a few|several)\s+(?:(?!more\b|new\b|additional\b|extra\b)[a-z-]+\s+){0,2}(?:engineers?|people|devs?|developers?|reports?|teams?|managers?|ems|ics|folks|staff|squads?|employees)\b/.test(
          text,
        )
      );
    case 'company_stage':
      return context.stage !== undefined;
    case 'role':
      // "We have three staff engineers", "my reports", "on my team": the user leads the people they speak of.
      return (
        context.role !== undefined ||
        /\bas (?:a|an|the) (?:\w+ )?(?:manager|lead|director|vp|cto|engineer|ic|founder)\b/.test(text) ||
        /\b(?:we|i) (?:have|manage|lead|run) (?:\w+ ){0,2}(?:staff|senior|principal)?\s*(?:engineers|reports|managers|teams|tech leads)\b|\bmy (?:direct )?reports\b|\bon my team\b|\bmy (?:staff|senior|principal) engineers?\b|\bmy (?:peer|fellow) (?:managers|ems|directors|leads)\b|\b(?:in front of|with|and) (?:the )?other (?:managers|ems|directors)\b/.test(
          text,
        ) ||
        // "my promo keeps getting pushed", "I'm up for staff": the user is the one seeking it.
        /\bmy (?:promo|promotion|promo packet|packet|next level|level)\b|\bi(?:'m| am) (?:up|going up|being put up) for\b/.test(text) ||
        // "advocate for my people", "my team's on-call", "I run a weekly review", "I'm the EM": the user's part is said.
        /\bmy (?:people|team'?s|teams|candidates|engineers|managers|ems|org|organi[sz]ation|directs|tech leads?|leads)\b|\bi (?:run|manage|lead|chair|facilitate|own)\b|\bi'?m (?:a|an|the) (?:new )?(?:\w+ )?(?:manager|em|lead|director|vp|cto|head of \w+)\b/.test(
          text,
        )
      );
    case 'tried':
      return context.tried.length > 0;
    case 'constraints':
      return context.constraints.length > 0;
    case 'people':
      return (
        context.people.length > 0 ||
        /\b(?:he|she|him|her|his)\b|\b(?:my|our|the) (?:own )?(?:team|teams|reports|engineers|org)\b|\bpeople\b|\beveryone\b|\bcandidates?\b|\bi (?:have|manage|lead) (?:an?|one|two|three|some) (?:\w+ )?(?:engineers?|reports?|devs?|developers?|designers?|managers?|tech leads?)\b/.test(
          text,
        )
      );
    case 'goal':
      return /\b(?:want(?:s)? (?:to|them|him|her)|goal|aim|hoping|so that|in order to|trying to|objective|outcome|aspir\w*|promot(?:e|ing) (?:her|him|them|my|our|a|an|the|one)|about to promote|promoted (?:to|into)|get (?:\w+ ){0,4}promoted|promotion (?:to|into)|(?:make|reach|get to) (?:senior|staff|principal|director|vp))\b/.test(
        text,
      );
    case 'measure':
      // A figure the user gives ("grew 70%", "$40k a month", "builds take 25 minutes", "doubled") is a measure they have.
      return (
        /\b(?:measur\w*|metrics?|dora|cycle time|lead time|deploy(?:ment)? frequency|story points|throughput|incident rate|incidents|latency|uptime|slos?|numbers?|data|dashboards?|bugs?|doubled|tripled|halved|quadrupled)\b/.test(
          text,
        ) || /\d+(?:\.\d+)?\s*(?:%|percent\b|x\b|ms\b|minutes?\b|mins?\b|hours?\b|hrs?\b|seconds?\b|secs?\b)|[$€£]\s?\d/.test(text)
      );
    case 'history':
      // "for about three months", "two quarters ago", "it's been like this since the reorg": how long is said.
      return (
        /\b(?:for (?:months|weeks|years|a while|a year|over a year)|since|last (?:week|month|quarter|year|sprint)|recently|lately|used to|after (?:the|a|an|our|my)|every time|whenever|again|twice|keeps?|kept|for the past|this (?:week|month|quarter))\b/.test(
          text,
        ) ||
        /\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|a couple(?: of)?|several|many)\s+(?:more\s+)?(?:days?|weeks?|months?|quarters?|years?|sprints?|cycles?)\b(?:\s+(?:ago|now|running|in a row|straight))?/.test(
          text,
        )
      );
    case 'their_view':
      return /\b(?:(?:they|he|she) (?:say|says|said|think|thinks|feel|feels|told|believe|believes|calls?)|told me|says|complain\w*|their (?:view|side|perspective))\b/.test(
        text,
      );
    case 'meeting':
      return /\b(?:weekly|daily|planning|retro\w*|stand-?up|all-hands|offsite|review|sync|1:1|one-on-one|staff meeting|\d+ people)\b/.test(
        text,
      );
    case 'hiring_stage':
      return /\b(?:sourc\w*|applicants?|pipeline|funnel|screen\w*|interview\w*|loop|offers?|clos\w*|take-home|panel|declin\w*|reject\w*)\b/.test(
        text,
      );
    case 'audience':
      return /\b(?:ceo|board|exec\w*|leadership|investors?|cto|vp|for (?:my|the|our) (?:team|engineers|org))\b/.test(text);
    case 'process':
      return /\b(?:ladder|levels?|calibration|rubric|process|promo(?:tion)? (?:packet|committee|process)|review cycle|performance reviews?)\b/.test(
        text,
      );
  }
}

type Wordings = string[];

/**
 * Several wordings for each need, some for a given topic, so that no one sentence becomes
 * stock across answers. `{person}` is the person the user named, said back ("your tech lead"),
 * or "them".
 */
const generic: Record<ContextNeed, Wordings> = {
  team_size: [
    'How many people are on the team, and how is the work split among them?',
    'How many engineers are involved, and across how many teams?',
    'What size of team are we talking about, and who does it report to?',
    'How big is the group this affects, roughly?',
    'Roughly how many people does this touch, and how many of them report to you?',
    'How many engineers and managers are in the picture?',
    'What does the team look like today: how many people, and in what roles?',
  ],
  company_stage: [
    'What stage is the company at: early startup, growing fast, or well established?',
    'How fast is the company growing, and what stage is it at?',
    'Is the company still finding its market, scaling, or mature?',
    'What kind of company is this: a young startup, a scale-up, or a large established business?',
    'Where is the company in its life: finding its market, growing quickly, or established?',
  ],
  role: [
    'What is your role in this: are you managing the team, leading it technically, or leading the wider org?',
    'Where do you sit in this: manager, tech lead, or executive?',
    'What is your position relative to the people involved?',
    'Which hat are you wearing here: line manager, senior engineer, or leader of leaders?',
    'Which seat are you in for this: managing the team, leading it technically, or running the wider org?',
    'What is your part in this: are you their manager, their tech lead, or someone further up?',
    'How do you relate to the people involved: do you manage them, lead them technically, or sit above their managers?',
  ],
  tried: [
    'What have you already tried, and what happened?',
    "What's been tried so far, and why didn't it stick?",
    'Have you tried anything yet, and if so, what did you learn from it?',
    'What have you or the team done about it so far?',
    'Has anyone tried to fix this before, and what came of it?',
    'What have you already changed to address it, and what effect did that have?',
    'Which fixes have been attempted so far, and why did they fall short?',
  ],
  constraints: [
    "What's fixed that you can't change: headcount, deadlines, budget?",
    'What constraints are you working within?',
    'Is there a deadline or a budget limit that shapes what you can do?',
    'Which parts of the situation are out of your control?',
    'What can you not move here: people, dates, money, or something else?',
  ],
  people: [
    'Who is involved, and what is your working relationship with them?',
    'Who exactly are we talking about: a report, a peer, or someone senior to you?',
    'What is your relationship with the person: do they report to you?',
  ],
  goal: [
    'What outcome are you after: what would good look like six months from now?',
    'What would success look like for you here?',
    'What are you hoping to get out of it?',
    'What would a good outcome look like for you?',
    'If this went well, what would be different in three months?',
  ],
  measure: [
    'How does the problem show up in practice: what do you see, and how often?',
    'What evidence tells you this is the problem, and how are you measuring it?',
    'Which signals are you watching, and which of them moved?',
  ],
  history: [
    'How long has this been going on, and what changed around the time it started?',
    'When did this start, and was there a change around that time?',
    'Is this new, or has it been building for a while?',
    'What was different before this started?',
    'What prompted this now?',
  ],
  their_view: [
    'How do you think the other people involved see it?',
    'What would the other side say is going on, if you asked them?',
    'How do you think {person} would describe what is going on?',
    'What do you imagine {person} would say if you asked them what is bothering them?',
    'What do you think matters most to {person} in this?',
  ],
  meeting: [
    'What kind of meeting is it, who is in the room, and what decision is it meant to produce?',
    'How many people attend, and what is the meeting supposed to decide?',
    "What's the meeting for, and who owns the decision at the end of it?",
  ],
  hiring_stage: [
    'Where does the process lose people today: sourcing, the interview loop, or at the offer?',
    'Which stage of the funnel is the weak one: too few applicants, too many rejections, or declined offers?',
    'At what point do candidates drop out, and do you have the numbers for each stage?',
  ],
  audience: [
    'Who is the strategy for: your engineers, your peers, or the CEO and board?',
    'Who needs to act on this, and who needs to approve it?',
    'Who will read it, and what do you need them to do differently afterwards?',
  ],
  process: [
    'Does the company have a written ladder and a calibration process, or is it still informal?',
    'How are levels and promotions decided today, and who sits in the room?',
    'What does the current process look like, and where does it break down?',
  ],
};

const byTopic: Partial<Record<Topic, Partial<Record<ContextNeed, Wordings>>>> = {
  staff_plus: {
    role: [
      'Are you the staff engineer in this, or the one managing or sponsoring them?',
      'Which side of this are you on: the staff-plus engineer, their manager, or the executive they support?',
      "What's your own role here: are you in the staff role, managing one, or deciding whether you need one?",
    ],
    team_size: [
      'How many engineers and teams would the staff role span?',
      'How big is the engineering org the role would serve: a handful of teams, or several groups?',
      'Roughly how many engineers are in the org, and how many staff-plus engineers does it have already?',
    ],
    goal: [
      'What problem is the organisation hoping a staff engineer will take on?',
      'Which problem, left alone, would hurt the org most in a year: is that where the staff role should point?',
      'What would success in the role look like a year from now?',
    ],
  },
  org_design: {
    team_size: [
      'How many engineers and teams are there today, and how do they report?',
      'What does the org look like now: how many engineers, how many teams, how many managers?',
      'How many people report into the structure you are changing, and through how many managers?',
      'What is the shape today: number of engineers, teams and layers of management?',
      'How large is the org you are shaping, and how many managers sit in it?',
    ],
    company_stage: [
      "How fast is the company growing, and will this structure still fit next year's headcount?",
      'What stage is the business at, and how much will the org grow in the next year?',
      'Is the company growing, holding steady or shrinking over the next year?',
    ],
    goal: [
      "What isn't working in the current structure: handoffs, ownership gaps, slow decisions, or something else?",
      'What should the new structure make easier that the current one makes hard?',
      'Which decisions or handoffs are slow today because of how the teams are drawn?',
    ],
  },
  technical_quality: {
    measure: [
      'How does the quality problem show up today: incidents, bugs reaching customers, slow changes, or engineers complaining?',
      'What tells you quality is the problem: incident rates, review churn, lead time, something else?',
      'Where does poor quality cost you most today: outages, rework, or slow onboarding?',
    ],
    team_size: [
      'How many teams work in this code, and who owns the parts that hurt most?',
      'How many engineers touch the affected systems, and do they share an owner?',
      "Is this one team's code, or shared by many teams with no clear owner?",
    ],
    constraints: [
      'How much room is there to invest in this alongside the roadmap: is any time already set aside?',
      'What would leadership accept trading away to pay for it: features, dates, or headcount?',
      'Is there a quality budget today, or does every improvement compete with the roadmap?',
    ],
  },
  career_development: {
    history: [
      'What prompted this now: a promotion cycle, someone leaving, a reorg?',
      'How are career conversations handled today, and what has changed recently?',
      'How long has this been on the table, and what feedback has come back so far?',
    ],
    role: [
      "What's your part in this: are you the one seeking the promotion, or the manager making the case?",
      '@self Where are you on the ladder today, and what level are you aiming for?',
      "@self What's your current level and role, and how long have you been in it?",
      '@self Which level would you be promoted into, and who decides?',
    ],
    goal: [
      '@self What does the next step look like for you: a title, more scope, or a different kind of work?',
      'What does {person} want from their career, in their own words?',
      'Is the aim a promotion, a different track, or more interesting work at the same level?',
      'What would a promotion change for {person}: scope, pay, recognition?',
    ],
  },
  hiring: {
    company_stage: [
      "What stage is the company at, and what can you offer that a bigger or smaller company can't?",
      'How does the company stage shape who you can attract: early-stage risk, growth, or stability?',
      'Is the company small and risky, fast-growing, or established, and how do candidates see it?',
    ],
    constraints: [
      'What constraints does the hiring plan have: budget per role, locations, a date by which people must start?',
      'What is fixed about the roles: level, location, salary band?',
      'Are there limits on level, location or pay that narrow who you can hire?',
    ],
    goal: [
      'What will the new hires do in their first six months, concretely?',
      'Which gap in the team is the hire meant to fill?',
      'What will a good hire have changed on the team after a year?',
    ],
  },
  strategy: {
    company_stage: [
      "What stage is the company at, and what's the business pressure the strategy has to answer?",
      'What is the company trying to achieve this year that engineering has to support?',
      'What business bet does engineering need to serve over the next year or two?',
    ],
    role: [
      'Are you writing it as the accountable leader, or as a senior engineer without formal authority?',
      'What authority do you have over the teams the strategy would bind?',
      'Will the strategy carry your name as the leader, or do you need an executive to sponsor it?',
    ],
    tried: [
      'Is there an earlier strategy or set of principles, and what happened to it?',
      'What has guided decisions so far, and where did it fall short?',
    ],
  },
  infrastructure: {
    team_size: [
      'How many engineers are in infrastructure, and how many product engineers do they serve?',
      'How big is the infrastructure group, and how many teams depend on it?',
      'What is the split today between infrastructure and product engineers?',
    ],
    measure: [
      'What do you measure today: cost, reliability, or developer productivity, and which is hurting?',
      'Which numbers do you watch (spend, incidents, build and deploy times), and which moved?',
      'Is the pain cost, reliability or developer time, and do you have numbers for it?',
    ],
    constraints: ["What's fixed: budget, reliability commitments to customers, compliance requirements?"],
    company_stage: ['What stage is the company at, and how much does infrastructure cost matter to it yet?'],
  },
  first_90_days: {
    role: [
      'What is the role exactly, and who will you report to?',
      'Which role are you stepping into, and are you replacing someone or is the role new?',
      'Who hired you into the role, and what did they say they need from you?',
    ],
    team_size: [
      'How big is the org you are taking on, and how many managers report into it?',
      'How many people and teams will you have, and how many of them are managers?',
      'How large is the team you inherit, and how many leads or managers are in it?',
    ],
    history: [
      'What do you know about why the role opened, and how the team feels about the change?',
      'What state is the team in: did something happen before you arrived that people are still reacting to?',
      'Do you know what the team thought of the person before you, and of the change?',
    ],
    company_stage: ['What stage is the company at, and what does your new boss expect of you in the first quarter?'],
  },
  feedback: {
    people: [
      'Who is the feedback for: a report, a peer, or someone more senior than you?',
      "What's your relationship with the person: do they report to you, or are they a peer?",
      'Is the person a report, a peer or someone above you?',
    ],
    tried: [
      'What have you already said to {person} about it, and how did they respond?',
      'Has {person} heard this from you before, in plain words, or would this be the first time?',
      'Has this come up between you and {person} before, and what happened when it did?',
    ],
    history: [
      'Can you describe the last time it happened: what exactly {person} did and what effect it had?',
      'How long has this been going on, and can you recall one recent, specific example?',
      'What is the most recent time you saw it, and what did it cost the team?',
    ],
  },
  difficult_conversations: {
    people: [
      'Who is the conversation with, and what is your working relationship with them?',
      'Who exactly is involved, and do they report to you?',
      'Who is on the other side of this, and how much do you work with them?',
    ],
    history: [
      'Has this happened before, and what happened just before it flared up?',
      'What happened just before this flared up, and has it happened before?',
      'When did this start, and was there a change around that time?',
      'Is this a one-off, or the latest in a pattern?',
    ],
    tried: ['What have you tried so far with {person}, and how did they respond?'],
  },
  meeting_facilitation: {
    role: [
      'Are you facilitating the meeting, or are you one of the participants with a stake in the outcome?',
      "What's your role in the room: running it, deciding, or contributing?",
      'Do you run the meeting, or sit in it as one of the voices?',
    ],
    tried: [
      'What have you tried already: an agenda, ground rules, a different facilitator?',
      'Has anyone named the pattern to the group yet, and what happened?',
    ],
    meeting: [
      'What kind of meeting is it, who is in the room, and what decision is it meant to produce?',
      'How many people attend, and what is the meeting supposed to decide?',
      "What's the meeting for, and who owns the decision at the end of it?",
      'Is it a recurring meeting or a one-off, and what should people leave it with?',
    ],
  },
  developing_people: {
    people: [
      'Who are you thinking of: a report, a new manager, a senior engineer?',
      'What is your relationship with them: do they report to you directly?',
      'Who is the person, and how long have you managed them?',
    ],
    goal: [
      'What does {person} want for their career, in their own words?',
      'Where does {person} want to be in a year or two, and have they told you?',
      'What would growth look like for {person}: more scope, a promotion, a new skill?',
    ],
    tried: [
      'What support has {person} had so far: mentoring, stretch projects, someone advocating for them?',
      'What have you tried with {person} so far, and what changed?',
      'What has already helped {person} grow, and what has not?',
    ],
  },
};

/** Every wording the policy may ask with, as written (for tests: each must be one question). */
export function clarifyingWordings(): string[] {
  const needs = Object.keys(generic) as ContextNeed[];
  return [...new Set(needs.flatMap((need) => allWordings(need)))];
}

/** All the wordings of a need (for recognising one in an earlier answer). */
function allWordings(need: ContextNeed): string[] {
  return [...generic[need], ...Object.values(byTopic).flatMap((needs) => needs?.[need] ?? [])];
}

/** Whether an earlier answer already asked about the need (then the user chose not to say). */
function askedBefore(need: ContextNeed, context: ConversationContext): boolean {
  const answers = context.earlierAnswers.join('\n');
  if (!answers) return false;
  return allWordings(need).some((wording) => {
    const stem = wording
      .replace(/^@self /, '')
      .split('{person}')[0]!
      .slice(0, 40);
    return stem.length >= 20 && answers.includes(stem);
  });
}

/** People a leader develops: the "{person}" of career and development questions. */
const developed: ReadonlySet<Relation> = new Set(['report', 'engineer', 'senior_engineer', 'staff_engineer', 'tech_lead', 'new_hire']);

/** The person the user named, said back ("one of my senior engineers" → "your senior engineer"), if any. */
function personPhrase(context: ConversationContext, topic: Topic): string | undefined {
  const candidates =
    topic === 'career_development' || topic === 'developing_people'
      ? context.people.filter((person) => developed.has(person.kind))
      : context.people;
  const person = candidates[candidates.length - 1];
  if (!person) return undefined;
  let phrase = lowerFirst(toSecondPerson(person.phrase));
  if (/^one of /i.test(phrase)) phrase = phrase.replace(/^one of /i, '').replace(/s$/, '');
  else if (/^(?:two|three|some|a few|several|both|all|most|each) of /i.test(phrase)) return 'them';
  return phrase.replace(/^(?:a|an|another) /i, 'the ');
}

/** One wording for the need, varied by the question, never one Cairn already used in this conversation. */
function wordingFor(need: ContextNeed, topic: Topic, key: string, context: ConversationContext, self: boolean): string {
  const person = self ? undefined : personPhrase(context, topic);
  // Without a named person, only the wordings that need none.
  // "@self" wordings are about the user's own career (only where `self`); "{person}" ones about someone they named.
  // "them" (two of the user's engineers) cannot stand where a wording needs a subject: "What do you imagine them would say".
  // "What happened just before this flared up?" presupposes a clash: not for a disclosure, a pregnancy or a new job.
  const clash = conflictCue.test([...context.earlierQuestions, key].join(' '));
  const usable = (wordings: Wordings): Wordings =>
    wordings.filter(
      (wording) =>
        (clash || !presupposesConflict.test(wording)) &&
        (person
          ? !wording.startsWith('@self ') && !(person === 'them' && personAsSubject.test(wording))
          : // "Where are you on the ladder today?" only where the user asks about their own career: a manager making the
            // case for their reports, or telling one he is not promoted, is asked neither about them nor about themself.
            !wording.includes('{person}') && (self || !wording.startsWith('@self '))),
    );
  const specific = usable(byTopic[topic]?.[need] ?? []);
  const options = specific.length >= 2 ? specific : [...specific, ...usable(generic[need])];
  const used = context.earlierAnswers.join('\n');
  const start = hash(`${key}/${need}`) % options.length;
  for (let offset = 0; offset < options.length; offset += 1) {
    const wording = options[(start + offset) % options.length]!;
    const text = fill(wording, person);
    if (!used.includes(text)) return text;
  }
  return fill(options[start]!, person);
}

/** Wordings that speak of a clash, and the words that tell of one. */
const presupposesConflict = /\bflared up\b|\bother side of this\b/i;
const conflictCue =
  /\b(?:clash\w*|conflict\w*|argu\w*|tension|fight\w*|disagree\w*|angry|upset|furious|heated|defensive|blew up|lash\w*|snap\w*|shout\w*|yell\w*|feud\w*|can'?t stand|butt\w* heads|don'?t get along|at each other|blam\w*|frustrat\w*|resent\w*|toxic|abrasive|rude|complain\w*|push(?:es|ed|ing)? back|escalat\w*)\b/i;

/** A wording whose "{person}" is the subject of its verb ("{person} would say", "Has {person} heard"). */
const personAsSubject =
  /\{person\} (?:would|will|is|was|has|had|did|does|can|could|should|wants?|needs?|thinks?|says?|feels?|sees?)\b|\b(?:does|has|is|did|was|would|can|could|will) \{person\}/i;

function fill(wording: string, person: string | undefined): string {
  const filled = wording.replace(/^@self /, '').replace(/\{person\}/g, person ?? 'them');
  return filled.charAt(0).toUpperCase() + filled.slice(1);
}

/**
 * The clarifying questions for an answer: at most two. A challenge to an assumption comes
 * first (one that carries its own decision makes "decide for me" redundant), then what the
 * topic needs and neither this question nor the conversation has told. Nothing is asked of
 * a pure explanation question, of code or of an off-topic one; a follow-up gets at most one
 * new context question, and a need Cairn already asked about is not asked again.
 */
export function clarifyingQuestionsFor(
  topic: Topic,
  assumptions: readonly Assumption[],
  context: ConversationContext,
  question: string,
  intent?: Intent,
): string[] {
  const resolvedIntent = intent ?? classifyTopic(question, context).intent;
  if (topic === 'off_topic' || resolvedIntent === 'code' || resolvedIntent === 'explain') return [];
  const hasAction = assumptions.some((assumption) => actionAssumptions.has(assumption.kind));
  const challenges = assumptions
    .filter((assumption) => !(assumption.kind === 'decide_for_me' && hasAction))
    .slice(0, 2)
    .map((assumption) => assumption.challenge);
  const covered = new Set(assumptions.flatMap((assumption) => coveredBy[assumption.kind] ?? []));
  const userText = [...context.earlierQuestions, plain(question)].join(' ');
  const room = Math.min(2 - challenges.length, resolvedIntent === 'follow_up' ? 1 : 2);
  // A question about the user's own career or growth has no one else to ask about.
  const self = (topic === 'career_development' || topic === 'developing_people' || topic === 'staff_plus') && selfFocused.test(userText);
  // A topic's own questions fit only the situation they were written for: "Who will read it?" fits a strategy being
  // written, not priorities that keep changing; the rest of a topic's questions are the general ones.
  const asked = askingTopic(topic, userText);
  const needs = topicNeeds[asked]
    .filter((need) => !(self && need === 'people'))
    .filter((need) => !covered.has(need) && !isKnown(need, context, userText) && !askedBefore(need, context))
    .slice(0, Math.max(0, room));
  const questions = [
    ...challenges,
    ...needs.map((need) => wordingFor(need, fitsNeed(asked, need, userText) ? asked : 'general', plain(question), context, self)),
  ];
  // Someone who decides keeps saying no, and the user gives no reason of theirs: what they said is the context that
  // matters, when the topic's own questions are all answered ("The calibration committee keeps pushing back"; audit 34).
  if (questions.length === 0 && room > 0 && pushedBack.test(userText) && !reasonGiven.test(userText) && resolvedIntent !== 'follow_up')
    questions.push('What reasons have they given for pushing back, in their own words?');
  return questions;
}

/** A decision-maker saying no: "the committee keeps pushing back", "my VP rejected it twice", "they turned it down". */
const pushedBack =
  /\b(?:keeps? pushing back|pushed back|push(?:es|ing)? back|rejected|turned (?:it|him|her|them|us|me) down|keeps? saying no|said no|vetoed|blocked (?:it|him|her|them))\b/i;
/** The reason the user already quotes: "because…", "saying…", "the feedback is…", a quotation. */
const reasonGiven = /\b(?:because|since|saying|said that|the feedback (?:is|was)|their reason|the reason)\b|["“'‘][^"”'’]{3,}["”'’]/i;

/**
 * What one of a topic's wordings for a need presupposes, where the rest of the topic's questions fit: infrastructure's
 * "How big is the infrastructure group?" an infrastructure or platform team, its "how much does infrastructure cost
 * matter?" a cost; elsewhere (measuring developer productivity, on-call pages) the need is asked in general words.
 */
const needSituation: Partial<Record<Topic, Partial<Record<ContextNeed, RegExp>>>> = {
  infrastructure: {
    team_size: /\b(?:infra\w*|platform\w*|sres?|devops|ops team|core team)\b/i,
    company_stage: /\b(?:costs?|spend\w*|budget\w*|efficien\w*|cloud bill|aws bill)\b/i,
  },
};

function fitsNeed(topic: Topic, need: ContextNeed, userText: string): boolean {
  const situation = needSituation[topic]?.[need];
  return !situation || situation.test(userText);
}

/** What a topic's own questions presuppose: a strategy written or set, infrastructure's cost or reliability. */
const topicSituation: Partial<Record<Topic, RegExp>> = {
  strategy: /\b(?:strateg\w*|vision|principles?|direction|doc|docs|document\w*|write|writing|written|rfcs?|technical plan|roadmap)\b/i,
  infrastructure:
    /\b(?:infra\w*|platform\w*|costs?|spend\w*|efficien\w*|cloud|aws|gcp|azure|servers?|reliab\w*|productivity|tooling|builds?|ci|developer experience|dev ?ex)\b/i,
};

/** The topic whose questions fit the user's words: its own, or `general` where they presuppose another situation. */
function askingTopic(topic: Topic, userText: string): Topic {
  // Feedback's questions are about feedback the user gives ("can you recall one recent, specific example?"); for one
  // they were given ("no examples given"), the general ones.
  if (topic === 'feedback' && receivedFeedback.test(userText)) return 'general';
  const situation = topicSituation[topic];
  return situation && !situation.test(userText) ? 'general' : topic;
}

/** The user asking about their own career ("my promotion", "vouching for me", "I haven't been promoted"). */
const selfFocused =
  /\b(?:my (?:career|promotion|growth|level|title|next step|impact)|for me\b|promot(?:e|ed|ing) me|i(?:'ve| have)? (?:been )?(?:passed over|promoted)|(?:i|me) (?:get|getting) promoted|my chances|notice my work|i'?m not in)\b/i;

/** The needs a topic still has open for this conversation (for the prompt and for tests). */
export function openNeeds(topic: Topic, context: ConversationContext, question: string): ContextNeed[] {
  const userText = [...context.earlierQuestions, plain(question)].join(' ');
  return topicNeeds[topic].filter((need) => !isKnown(need, context, userText));
}
