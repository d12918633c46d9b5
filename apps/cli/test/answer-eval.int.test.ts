import { afterAll, describe, expect, it } from 'vitest';
import { openAnswerPipeline, type OpenedAnswerPipeline } from '../src/eval/answers/answer-pipeline.js';
import { loadAnswerSet, turnsOf } from '../src/eval/answers/answer-set.js';
import { evaluateAnswerSet, type AnswerSetReport } from '../src/eval/answers/evaluate-answer-set.js';
import { formatAnswerReport } from '../src/eval/answers/format-answer-report.js';
import { llmChecks } from '../src/eval/answers/llm-checks.js';
import { answerRules } from '../src/eval/answers/rules.js';

/**
 * The answer-quality evaluation on the quick set, through the real pipeline, and on the
 * extended set in extractive mode (the defaults). It asserts that the harness runs every turn
 * and scores every rule, and that the rules the conversation policy alone decides (refusals,
 * challenges, clarifying questions, summaries, no sources list) hold on every turn of both
 * sets in extractive mode; the rules that also depend on retrieval are printed for the reader
 * (docs/evaluation.md, "Answer quality").
 */

/** Rules whose applicability the set decides (its expectations), not the answer: each must apply somewhere. */
const expectationRules = ['outcome', 'refusal-kind', 'challenge', 'frameworks', 'known-facts', 'follow-up-changes', 'clarifying-count'];

/** Rules the policy decides whatever the passages: on the defaults they hold on every turn. */
const policyRules = ['refusal-kind', 'challenge', 'clarifying-count', 'known-facts', 'summary', 'no-sources-in-text'];

const set = loadAnswerSet('quick');
const turns = turnsOf(set);
const opened: OpenedAnswerPipeline[] = [];
let extractive: Promise<OpenedAnswerPipeline> | undefined;

/** One extractive pipeline (a fresh in-memory database with the starter corpus) for both sets. */
function extractivePipeline(): Promise<OpenedAnswerPipeline> {
  extractive ??= openAnswerPipeline({ mode: 'extractive', environment: {} }).then((pipeline) => {
    opened.push(pipeline);
    return pipeline;
  });
  return extractive;
}

afterAll(async () => {
  for (const pipeline of opened) await pipeline.close();
});

/** The policy's rules hold on every turn they apply to. */
function expectPolicyRulesHold(report: AnswerSetReport): void {
  for (const id of policyRules) {
    const failures = report.turnReports
      .filter((turn) => turn.verdicts[id]?.status === 'fail')
      .map((turn) => `${turn.conversation}#${turn.turn}: ${JSON.stringify(turn.verdicts[id])}`);
    expect(failures, id).toEqual([]);
  }
}

function expectEveryRuleScored(report: AnswerSetReport, extra: string[] = [], expected = turns): void {
  expect(report.turns).toBe(expected.length);
  expect(report.turnReports.map((turn) => turn.question)).toEqual(expected.map(({ turn }) => turn.question));
  expect(report.rules.map((score) => score.rule)).toEqual([...answerRules.map((rule) => rule.id), ...extra]);
  for (const score of report.rules) {
    expect(score.passed + score.failed, score.rule).toBe(score.applicable);
    expect(score.applicable + score.notApplicable, score.rule).toBe(expected.length);
    expect(score.share, score.rule).toBe(score.applicable > 0 ? score.passed / score.applicable : null);
  }
  for (const id of expectationRules) expect(report.rules.find((score) => score.rule === id)!.applicable, id).toBeGreaterThan(0);
  for (const turn of report.turnReports) {
    expect(turn.answer.length, `${turn.conversation}#${turn.turn}`).toBeGreaterThan(0);
    for (const verdict of Object.values(turn.verdicts)) expect(['pass', 'fail', 'na']).toContain(verdict.status);
  }
}

describe('the answer evaluation on the quick set', () => {
  it('runs every turn through the extractive pipeline on the defaults and scores every rule', async () => {
    const pipeline = await extractivePipeline();
    const report = await evaluateAnswerSet(set, pipeline);
    console.log(formatAnswerReport(report, { maxFailures: 2 }));
    expect(report).toMatchObject({ set: 'quick', mode: 'extractive', model: 'cairn-extractive-v1' });
    expectEveryRuleScored(report);
    expectPolicyRulesHold(report);
  }, 120_000);

  it('holds the policy rules on the extended set too, in other words than the quick set', async () => {
    const extended = loadAnswerSet('extended');
    const report = await evaluateAnswerSet(extended, await extractivePipeline());
    console.log(formatAnswerReport(report, { maxFailures: 2 }));
    expect(report).toMatchObject({ set: 'extended', mode: 'extractive' });
    expectEveryRuleScored(report, [], turnsOf(extended));
    expectPolicyRulesHold(report);
  }, 120_000);

  it('runs the same conversations against the scripted test server, and checks the prompt and what comes back', async () => {
    const pipeline = await openAnswerPipeline({ mode: 'llm', environment: {} });
    opened.push(pipeline);
    const report = await evaluateAnswerSet(set, pipeline);
    console.log(formatAnswerReport(report, { maxFailures: 2 }));
    expect(report).toMatchObject({ mode: 'llm', model: 'cairn-eval-scripted' });
    expectEveryRuleScored(report, Object.keys(llmChecks));
    // How Cairn asks the model holds today: the persona, the fenced passages, the history, the questions back.
    for (const id of ['llm-persona', 'llm-passages', 'llm-history', 'llm-clarifying']) {
      const score = report.rules.find((entry) => entry.rule === id)!;
      const failures = report.turnReports
        .filter((turn) => turn.verdicts[id]?.status === 'fail')
        .map((turn) => `${turn.conversation}#${turn.turn}: ${JSON.stringify(turn.verdicts[id])}`);
      expect(failures, id).toEqual([]);
      expect(score.applicable, id).toBeGreaterThan(0);
    }
  }, 120_000);
});
