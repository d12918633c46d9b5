import type { Profession } from './outside-expertise.js';
/** One earlier exchange of the conversation: what the user asked and, if any, what Cairn answered. */
export interface PolicyTurn {
  question: string;
  answer?: string | undefined;
}

/** Something the user told, with the sentence it came from. */
export interface StatedFact<K extends string = string> {
  /** What kind of fact it is (a constraint's kind, a person's relation, a role…). */
  kind: K;
  /** The words that carry it, as the user wrote them ("a 60-person org", "my tech lead"). */
  phrase: string;
  /** The user's sentence it came from. */
  source: string;
  /** The user turn it came from: 0 for the first, `turns.length` for the current question. */
  turn: number;
}

/** How a size is counted. */
export type SizeUnit = 'people' | 'engineers' | 'teams' | 'managers' | 'reports';
/** What a size is the size of. */
export type SizeScope = 'team' | 'org' | 'company';

export interface SizeFact extends StatedFact<SizeScope> {
  /** The number, or null for words such as "a small team" or "a handful of engineers". */
  count: number | null;
  unit: SizeUnit;
}

export type CompanyStage = 'startup' | 'early' | 'growth' | 'late' | 'public' | 'established';

export type Role =
  | 'engineering_manager'
  | 'manager_of_managers'
  | 'director'
  | 'vp'
  | 'head_of_engineering'
  | 'cto'
  | 'founder'
  | 'staff_engineer'
  | 'principal_engineer'
  | 'tech_lead'
  | 'senior_engineer'
  | 'engineer';

export interface RoleFact extends StatedFact<Role> {
  /** The user is new to it, about to take it up, or just promoted into it. */
  isNew: boolean;
}

export type ConstraintKind =
  'budget' | 'deadline' | 'headcount_freeze' | 'layoffs' | 'remote' | 'compliance' | 'no_authority' | 'time' | 'on_call';

/** `nothing` when the user said that nothing has been tried yet (which is known, too). */
export type TriedKind = 'tried' | 'nothing';

export type Relation =
  | 'tech_lead'
  | 'report'
  | 'manager'
  | 'skip_level'
  | 'peer'
  | 'executive'
  | 'director'
  | 'staff_engineer'
  | 'senior_engineer'
  | 'engineer'
  | 'new_hire'
  | 'product_manager'
  | 'designer'
  | 'candidate'
  | 'cofounder';

/** What the user has told across the conversation (their own turns only), later turns winning. */
export interface ConversationContext {
  /** The size most recently stated (any scope). */
  size: SizeFact | undefined;
  /** Every size stated, one per scope and unit, the latest of each. */
  sizes: SizeFact[];
  stage: StatedFact<CompanyStage> | undefined;
  role: RoleFact | undefined;
  constraints: StatedFact<ConstraintKind>[];
  tried: StatedFact<TriedKind>[];
  people: StatedFact<Relation>[];
  /** The user's earlier messages, oldest first (not the current question). */
  earlierQuestions: string[];
  /** Cairn's earlier answers, oldest first, where known. */
  earlierAnswers: string[];
}

/** The spec's "Topics You Cover", a catch-all for leadership questions that name none, and off-topic. */
export type Topic =
  | 'staff_plus'
  | 'org_design'
  | 'technical_quality'
  | 'career_development'
  | 'hiring'
  | 'strategy'
  | 'infrastructure'
  | 'first_90_days'
  | 'feedback'
  | 'difficult_conversations'
  | 'meeting_facilitation'
  | 'developing_people'
  | 'general'
  | 'off_topic';

/**
 * What the user wants: advice on their situation, an explanation of a concept or framework,
 * a decision made for them, code written or reviewed, or (on a later turn) a follow-up that
 * depends on what was discussed.
 */
export type Intent = 'advice' | 'explain' | 'decide' | 'code' | 'follow_up';

export interface TopicClassification {
  topic: Topic;
  /** Other topics the question touches, strongest first (at least half the top score). */
  secondary: Topic[];
  /** Each topic's score (only those above zero). */
  scores: Partial<Record<Topic, number>>;
  /** clear: one topic leads; mixed: a near tie; weak: only faint cues; none: no cue at all. */
  confidence: 'clear' | 'mixed' | 'weak' | 'none';
  intent: Intent;
  /** The intent the question has once read as a follow-up (never `follow_up` itself). */
  baseIntent: Exclude<Intent, 'follow_up'>;
  followUp: boolean;
}

export type AssumptionKind =
  | 'hire_more'
  | 'velocity_slow'
  | 'rewrite'
  | 'fire_someone'
  | 'cut_team'
  | 'change_before_understanding'
  | 'replace_one_on_ones'
  | 'promotion_as_cure'
  | 'feedback_saved_for_review'
  | 'one_hire_fixes'
  | 'decide_for_me'
  | 'reorg_fixes'
  | 'arbitrary_ratio'
  | 'individual_metrics'
  | 'short_term_fix'
  | 'seek_validation'
  | 'staff_stop_coding'
  | 'best_engineer_to_manager'
  | 'cant_delegate';

export interface Assumption {
  kind: AssumptionKind;
  /** The words of the question that carry it. */
  phrase: string;
  /** A question about the problem behind it, worded for the situation; never an endorsement. */
  challenge: string;
}

export type FrameworkName =
  | 'Technical Coherence'
  | 'Staff Archetypes'
  | 'Trunk and Branches'
  | 'Engineering Strategy'
  | 'Systems Thinking'
  | 'BICEPS'
  | 'Feedback Equation'
  | "Naming What's Happening"
  | 'Sponsorship vs Mentorship';

export interface FrameworkSuggestion {
  name: FrameworkName;
  author: string;
  /** What the framework is for, and why it fits this question. */
  reason: string;
  score: number;
}

/** The context the persona asks about before advising, and the topic-specific things it needs. */
export type ContextNeed =
  | 'team_size'
  | 'company_stage'
  | 'role'
  | 'tried'
  | 'constraints'
  | 'people'
  | 'goal'
  | 'measure'
  | 'history'
  | 'their_view'
  | 'meeting'
  | 'hiring_stage'
  | 'audience'
  | 'process';

/** Every reason the policy declines or holds back, as the API's `refusal` names it. */
export const policyRefusals = [
  'write_code',
  'review_code',
  'system_instructions',
  'impersonate_author',
  'private_information',
  'decide_for_user',
  'off_topic',
  'professional_advice',
] as const;
export type PolicyRefusal = (typeof policyRefusals)[number];

export interface AnswerPlan {
  context: ConversationContext;
  topic: Topic;
  secondaryTopics: Topic[];
  intent: Intent;
  followUp: boolean;
  assumptions: Assumption[];
  frameworks: FrameworkSuggestion[];
  /** At most two: a challenge first when there is one, then what is unknown and matters. */
  clarifyingQuestions: string[];
  /** What Cairn understood, in the second person, to open the answer with. */
  summary: string;
  /** The question with "it"/"that" replaced by what was discussed (first person kept). */
  resolvedQuestion: string;
  refusal?: PolicyRefusal | undefined;
  /** A first message with nothing to look up yet ("Help.", "hi"): answered by a hello and two questions (opener.ts). */
  opener?: boolean | undefined;
  /** The professional a question, or a side of it, belongs to (law, health, personal money): see outside-expertise.ts. */
  profession?: Profession | undefined;
  /** For a leadership question with such a side: the line that names it and who should answer it, to open the answer with. */
  professionalSide?: string | undefined;
  /** The line that corrects a framework credited to the wrong author ("Lara Hogan's Staff Archetypes"): misattribution.ts. */
  correction?: string | undefined;
  /** The user said how shaken or worn out they are: the line that hears it, before any advice (acknowledge-feelings.ts). */
  feelings?: string | undefined;
  /** For a request for code set beside a question: the line that leaves the code aside before the rest is answered. */
  aside?: string | undefined;
  /** The block for the chat model's prompt: what is known, what to ask, what to challenge. */
  promptSection: string;
}
