import { turnsOf, type AnswerSet, type AnswerTurn } from './answer-set.js';
import type { EvaluatedAnswer } from './answer-text.js';
import { stockQuestions, maxRepeatShare } from './clarifying-rules.js';
import type { AnswerRule, EarlierTurn, TurnUnderTest, Verdict } from './rule.js';
import { answerRules, judgeTurns } from './rules.js';

/** One turn as the pipeline is asked it. */
export interface PipelineTurn {
  /** The conversation's id in the set (not the stored conversation's). */
  conversationId: string;
  index: number;
  turn: AnswerTurn;
  previous: readonly EarlierTurn[];
}

/** What the pipeline answered, and its own checks of the exchange (the LLM mode's prompt checks). */
export interface PipelineAnswer {
  result: EvaluatedAnswer & { model?: string; mode?: string };
  /** Checks of how the answer was made (not of the answer), by id; each a verdict. */
  checks?: Record<string, Verdict>;
}

/** The path the evaluation asks: `answerInConversation` on a runtime (see answer-pipeline.ts), or a stand-in in tests. */
export interface AnswerPipeline {
  mode: string;
  /** The chat model's name, or the extractive composer's. */
  model: string;
  /** Descriptions of the pipeline's own checks, by id, in report order. */
  checks?: Record<string, string>;
  /** Answers a turn; `storedConversationId` continues the conversation the previous turn started. */
  ask(turn: PipelineTurn, storedConversationId: string | undefined): Promise<PipelineAnswer & { storedConversationId: string }>;
}

export interface RuleScore {
  rule: string;
  description: string;
  /** `answer`: a rule of the answer's quality; `pipeline`: a check of how it was made (LLM mode). */
  kind: 'answer' | 'pipeline';
  passed: number;
  failed: number;
  applicable: number;
  notApplicable: number;
  /** passed / applicable; null when the rule applied nowhere. */
  share: number | null;
}

export interface TurnReport {
  conversation: string;
  turn: number;
  question: string;
  outcome: string;
  answer: string;
  clarifyingQuestions: string[];
  citations: { n: number; author: string | null; title?: string | undefined }[];
  verdicts: Record<string, Verdict>;
}

export interface AnswerSetReport {
  set: string;
  mode: string;
  model: string;
  conversations: number;
  turns: number;
  rules: RuleScore[];
  /** Clarifying questions asked in more than a tenth of the answered turns. */
  stockQuestions: { question: string; turns: number; share: number }[];
  stockShare: number;
  turnReports: TurnReport[];
  durationMs: number;
}

function score(id: string, description: string, kind: RuleScore['kind'], verdicts: readonly Verdict[]): RuleScore {
  const passed = verdicts.filter((verdict) => verdict.status === 'pass').length;
  const failed = verdicts.filter((verdict) => verdict.status === 'fail').length;
  const applicable = passed + failed;
  return {
    rule: id,
    description,
    kind,
    passed,
    failed,
    applicable,
    notApplicable: verdicts.length - applicable,
    share: applicable > 0 ? passed / applicable : null,
  };
}

/**
 * Runs every conversation of the set through the pipeline, turn by turn (each conversation
 * stored, so follow-ups have real history), then judges every turn by every rule and the
 * pipeline's own checks. Scores are per rule: passed over the turns it applies to.
 */
export async function evaluateAnswerSet(
  set: AnswerSet,
  pipeline: AnswerPipeline,
  options: { rules?: readonly AnswerRule[]; onTurn?: (done: number, total: number) => void } = {},
): Promise<AnswerSetReport> {
  const started = performance.now();
  const rules = options.rules ?? answerRules;
  const all = turnsOf(set);
  const judged: TurnUnderTest[] = [];
  const pipelineChecks: (Record<string, Verdict> | undefined)[] = [];
  for (const conversation of set.conversations) {
    const previous: EarlierTurn[] = [];
    let stored: string | undefined;
    for (const [index, turn] of conversation.turns.entries()) {
      const asked = { conversationId: conversation.id, index, turn, previous: [...previous] };
      const answered = await pipeline.ask(asked, stored);
      stored = answered.storedConversationId;
      judged.push({ ...asked, result: answered.result });
      pipelineChecks.push(answered.checks);
      previous.push({ question: turn.question, result: answered.result });
      options.onTurn?.(judged.length, all.length);
    }
  }
  const verdicts = judgeTurns(judged, rules);
  const checkIds = Object.keys(pipeline.checks ?? {});
  const scores = [
    ...rules.map((rule) => score(rule.id, rule.description, 'answer', verdicts.get(rule.id)!)),
    ...checkIds.map((id) =>
      score(
        id,
        pipeline.checks![id]!,
        'pipeline',
        pipelineChecks.map((checks) => checks?.[id] ?? { status: 'na' }),
      ),
    ),
  ];
  const turnReports = judged.map((turn, position): TurnReport => {
    const own: Record<string, Verdict> = {};
    for (const rule of rules) own[rule.id] = verdicts.get(rule.id)![position]!;
    for (const id of checkIds) own[id] = pipelineChecks[position]?.[id] ?? { status: 'na' };
    return {
      conversation: turn.conversationId,
      turn: turn.index + 1,
      question: turn.turn.question,
      outcome: turn.result.outcome,
      answer: turn.result.answer,
      clarifyingQuestions: [...(turn.result.clarifyingQuestions ?? [])],
      citations: turn.result.citations.map((citation) => ({ n: citation.n, author: citation.author, title: citation.title })),
      verdicts: own,
    };
  });
  return {
    set: set.name,
    mode: pipeline.mode,
    model: pipeline.model,
    conversations: set.conversations.length,
    turns: judged.length,
    rules: scores,
    stockQuestions: stockQuestions(judged.map((turn) => turn.result)),
    stockShare: maxRepeatShare,
    turnReports,
    durationMs: Math.round(performance.now() - started),
  };
}
