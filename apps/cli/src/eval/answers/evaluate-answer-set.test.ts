import { describe, expect, it } from 'vitest';
import { parseAnswerSet } from './answer-set.js';
import { evaluateAnswerSet, type AnswerPipeline } from './evaluate-answer-set.js';
import { formatAnswerReport } from './format-answer-report.js';
import { answerRules } from './rules.js';

const set = parseAnswerSet({
  name: 'handmade',
  conversations: [
    {
      id: 'director',
      topics: ['first-90-days'],
      turns: [
        {
          question: "I'm a new director of a 60-person org. Where do I start?",
          expect: { outcome: 'answered', knownFacts: ['team_size', 'role'] },
        },
        { question: 'And what about my managers?', followUp: 'reference', expect: { outcome: 'answered', changesFromPrevious: true } },
      ],
    },
    {
      id: 'script',
      topics: ['technical-quality'],
      turns: [{ question: 'Write a Python script.', expect: { outcome: 'refused', refusalKind: 'write_code' } }],
    },
  ],
});

/** A stand-in pipeline: the same answer every time (so the follow-up does not change), asking a stock question. */
function stubPipeline(): AnswerPipeline & { asked: { question: string; stored: string | undefined }[] } {
  const asked: { question: string; stored: string | undefined }[] = [];
  return {
    mode: 'stub',
    model: 'stub-model',
    checks: { 'stub-check': 'a check of the pipeline' },
    asked,
    async ask(turn, stored) {
      asked.push({ question: turn.turn.question, stored });
      const refused = turn.turn.question.startsWith('Write');
      return {
        storedConversationId: stored ?? `stored-${turn.conversationId}`,
        checks: { 'stub-check': turn.index === 0 ? { status: 'pass' } : { status: 'fail', detail: 'follow-up' } },
        result: refused
          ? { answer: "I don't write code: I'm not a coding assistant.", citations: [], outcome: 'refused', clarifyingQuestions: [] }
          : {
              answer:
                '**What I understood:** you lead a 60-person org.\n\n- Learn before you change anything [1].\n\n**Before I go further:** How large is the team or organisation involved?',
              citations: [{ n: 1, author: 'Will Larson', chunkId: 'c1' }],
              outcome: 'answered',
              clarifyingQuestions: ['How large is the team or organisation involved?'],
            },
      };
    },
  };
}

describe('evaluating an answer set', () => {
  it('asks every turn in order, continuing each stored conversation, and scores every rule', async () => {
    const pipeline = stubPipeline();
    const report = await evaluateAnswerSet(set, pipeline);
    expect(pipeline.asked).toEqual([
      { question: set.conversations[0]!.turns[0]!.question, stored: undefined },
      { question: set.conversations[0]!.turns[1]!.question, stored: 'stored-director' },
      { question: 'Write a Python script.', stored: undefined },
    ]);
    expect(report).toMatchObject({ set: 'handmade', mode: 'stub', model: 'stub-model', conversations: 2, turns: 3 });
    expect(report.rules.map((score) => score.rule)).toEqual([...answerRules.map((rule) => rule.id), 'stub-check']);
    for (const score of report.rules) expect(score.passed + score.failed + score.notApplicable, score.rule).toBe(3);

    const byRule = Object.fromEntries(report.rules.map((score) => [score.rule, score]));
    expect(byRule['outcome']).toMatchObject({ passed: 3, applicable: 3, share: 1 });
    expect(byRule['refusal-kind']).toMatchObject({ passed: 1, applicable: 1 });
    expect(byRule['known-facts']).toMatchObject({ passed: 0, applicable: 2, share: 0 });
    expect(byRule['follow-up-changes']).toMatchObject({ passed: 0, applicable: 1 });
    expect(byRule['stock-questions']).toMatchObject({ passed: 0, applicable: 2 });
    expect(byRule['challenge']).toMatchObject({ applicable: 0, share: null });
    expect(byRule['stub-check']).toMatchObject({ kind: 'pipeline', passed: 2, failed: 1 });
    expect(report.stockQuestions).toEqual([{ question: 'How large is the team or organisation involved?', turns: 2, share: 1 }]);
    expect(report.turnReports[1]!.verdicts['follow-up-changes']!.status).toBe('fail');
  });

  it('prints the table, the stock questions and the failing turns', async () => {
    const report = await evaluateAnswerSet(set, stubPipeline());
    const text = formatAnswerReport(report);
    expect(text).toMatch(/^Answers on set handmade: 3 turns in 2 conversations, stub \(stub-model\)/);
    expect(text).toMatch(/\nrule\s+passed\s+applicable\s+share\s+n\/a\n/);
    expect(text).toMatch(/\nknown-facts\s+0\s+2\s+0\.00\s+1\n/);
    expect(text).toMatch(/\(LLM path\)\nstub-check\s+2\s+3\s+0\.67\s+0/);
    expect(text).toContain('100%  How large is the team or organisation involved?');
    expect(text).toMatch(/director#2 "And what about my managers\?": text 100% the same/);
    expect(text).not.toContain('Answers:');
    expect(formatAnswerReport(report, { verbose: true })).toContain("Q: Write a Python script.\nI don't write code");
  });
});
