import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { policyRefusals } from '@cairn/answer';
import { starterNotesDirectory } from '@cairn/starter-corpus';
import { z } from 'zod';

/**
 * An answer set: conversations written as an engineering leader would hold them, each turn
 * with what a machine can check of a good answer. `cairn eval --answers` runs them through
 * the real pipeline (docs/evaluation.md, "Answer quality").
 */

/** The topics of the persona spec ("Topics You Cover"), one id each. */
export const specTopics = [
  'staff-plus',
  'org-design',
  'technical-quality',
  'career-development',
  'hiring',
  'strategy',
  'infrastructure',
  'first-90-days',
  'feedback',
  'difficult-conversations',
  'meeting-facilitation',
  'developing-people',
] as const;
export type SpecTopic = (typeof specTopics)[number];

/**
 * The frameworks of the persona spec ("Key Frameworks", and the systems dynamics of its core
 * behaviour), with the author the spec names: a `**Name** (Author)` line must agree with it.
 * Names as the composer writes them (packages/answer/src/persona-frameworks.ts).
 */
export const specFrameworks = [
  { name: 'Technical Coherence', author: 'Jack Danger' },
  { name: 'Staff Archetypes', author: 'Will Larson' },
  { name: 'Trunk and Branches', author: 'Will Larson' },
  { name: 'Engineering Strategy', author: 'Will Larson' },
  { name: 'Systems Thinking', author: 'Will Larson' },
  { name: 'BICEPS', author: 'Lara Hogan' },
  { name: 'Feedback Equation', author: 'Lara Hogan' },
  { name: "Naming What's Happening", author: 'Lara Hogan' },
  { name: 'Sponsorship vs Mentorship', author: 'Lara Hogan' },
] as const;
export type SpecFramework = (typeof specFrameworks)[number]['name'];
const frameworkNames = specFrameworks.map((framework) => framework.name) as [SpecFramework, ...SpecFramework[]];

/** The facts a leader states that the persona asks about before advising ("Ask before advising"). */
export const factKinds = ['team_size', 'company_stage', 'role', 'constraints', 'already_tried', 'measurement'] as const;
export type FactKind = (typeof factKinds)[number];

/** The assumptions the persona challenges (its examples, and the issue's). */
export const assumptionKinds = ['hire_more', 'velocity_slow', 'rewrite', 'fire_someone', 'decide_for_me'] as const;
export type AssumptionKind = (typeof assumptionKinds)[number];

/** Why a request is declined or redirected ("What You Don't Do", and questions outside leadership). */
export const refusalKinds = policyRefusals;
export type RefusalKind = (typeof refusalKinds)[number];

/** How a turn follows the one before it. */
export const followUpKinds = ['adds_facts', 'reference', 'changed_question', 'answers_clarifying'] as const;
export type FollowUpKind = (typeof followUpKinds)[number];

/**
 * An outcome as `AnswerResult.outcome` names it. Open (the pipeline may add outcomes, such
 * as one for an answer that only asks), but spelled like an identifier so a typo in a set
 * does not silently never match.
 */
const outcomeName = z.string().regex(/^[a-z][a-z_]*$/, 'expects an outcome such as answered, refused or no_support');

const expectationSchema = z
  .object({
    /** The outcome, or any of several. */
    outcome: z.union([outcomeName, z.array(outcomeName).min(1)]).optional(),
    /** Outcomes that are wrong here (e.g. `no_support` for the spec's own velocity example). */
    outcomeNot: z.array(outcomeName).min(1).optional(),
    /** The request is declined (or redirected) for this reason. */
    refusalKind: z.enum(refusalKinds).optional(),
    /** The question carries an assumption the answer must question before accepting. */
    challenge: z.boolean().optional(),
    /** Which assumption: the challenge must speak to it (how velocity is measured, what a rewrite would fix, …). */
    assumption: z.enum(assumptionKinds).optional(),
    /** At least one of these frameworks is applied. */
    frameworksAnyOf: z.array(z.enum(frameworkNames)).min(1).optional(),
    /** None of these frameworks is applied. */
    frameworksNoneOf: z.array(z.enum(frameworkNames)).min(1).optional(),
    /** Facts given so far in the conversation (this turn included): no clarifying question may ask for them. */
    knownFacts: z.array(z.enum(factKinds)).min(1).optional(),
    /** The answer and its cited passages differ from the previous turn's. */
    changesFromPrevious: z.boolean().optional(),
  })
  .strict()
  .refine((expect) => !expect.assumption || expect.challenge === true, {
    message: 'an assumption is named only where a challenge is expected (challenge: true)',
  });

const turnSchema = z
  .object({
    question: z.string().trim().min(1).max(4000),
    /** How this turn follows the previous one (coverage; not checked against the answer). */
    followUp: z.enum(followUpKinds).optional(),
    expect: expectationSchema,
  })
  .strict();

const conversationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expects a lower-case slug'),
    /** The spec topics the conversation covers. */
    topics: z.array(z.enum(specTopics)).min(1),
    turns: z.array(turnSchema).min(1).max(4),
  })
  .strict()
  .superRefine((conversation, context) => {
    const first = conversation.turns[0]!;
    if (first.followUp || first.expect.changesFromPrevious) {
      context.addIssue({ code: 'custom', message: 'the first turn has no previous turn to follow or change from', path: ['turns', 0] });
    }
  });

export const answerSetSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(''),
    conversations: z.array(conversationSchema).min(1),
  })
  .strict()
  .superRefine((set, context) => {
    const seen = new Set<string>();
    set.conversations.forEach((conversation, index) => {
      if (seen.has(conversation.id)) {
        context.addIssue({ code: 'custom', message: `the id ${conversation.id} is used twice`, path: ['conversations', index, 'id'] });
      }
      seen.add(conversation.id);
    });
  });

export type AnswerSet = z.infer<typeof answerSetSchema>;
export type AnswerConversation = AnswerSet['conversations'][number];
export type AnswerTurn = AnswerConversation['turns'][number];
export type TurnExpectation = AnswerTurn['expect'];

/** A set that cannot be found or does not validate; the message says where and why. */
export class AnswerSetError extends Error {
  override name = 'AnswerSetError';
}

/** The committed answer sets (`quick` runs in CI). */
export const answerSetsDirectory = resolve(starterNotesDirectory, '..', 'answer-sets');

/** Validates a parsed set; the error names the first problem's path. */
export function parseAnswerSet(data: unknown, where = 'the answer set'): AnswerSet {
  const parsed = answerSetSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new AnswerSetError(`${where} is not a valid answer set: ${problems}`);
  }
  return parsed.data;
}

/** A committed set by name (`quick`), or a JSON file by path. */
export function loadAnswerSet(nameOrPath: string): AnswerSet {
  const named = resolve(answerSetsDirectory, `${nameOrPath}.json`);
  const path = /^[a-z0-9-]+$/.test(nameOrPath) && existsSync(named) ? named : resolve(nameOrPath);
  if (!existsSync(path)) {
    throw new AnswerSetError(
      `No answer set ${JSON.stringify(nameOrPath)}: name one in ${answerSetsDirectory} (quick) or give the path of a JSON file`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AnswerSetError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const set = parseAnswerSet(data, basename(path));
  return set;
}

/** Every turn of a set in order, with its conversation and position. */
export function turnsOf(set: AnswerSet): { conversation: AnswerConversation; index: number; turn: AnswerTurn }[] {
  return set.conversations.flatMap((conversation) => conversation.turns.map((turn, index) => ({ conversation, index, turn })));
}

/** The spec's author of a framework, by any spelling of its name (see `frameworkKey`). */
export function specAuthorOf(name: string): string | undefined {
  const key = frameworkKey(name);
  return specFrameworks.find((framework) => frameworkKey(framework.name) === key)?.author;
}

/**
 * A framework's name reduced for comparison: case, punctuation, "the", "versus" and a
 * trailing "components", "model" or "framework" do not matter ("The Feedback Equation",
 * "Sponsorship versus Mentorship", "Engineering Strategy Components", "BICEPS core needs").
 */
export function frameworkKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/\bversus\b/g, 'vs')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\b(the|components?|model|framework|core needs)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
