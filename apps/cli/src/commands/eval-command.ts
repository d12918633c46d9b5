import { Command } from 'commander';
import { loadConfig, processEnvironment } from '@cairn/core';
import { createEmbedder } from '@cairn/embed';
import { evaluateStarterCorpus } from '../evaluate-starter-corpus.js';
import { loadDevSet } from '../eval/dev-set.js';
import { evaluateDevSet, type SetEvaluation } from '../eval/evaluate-dev-set.js';
import { formatSetEvaluation, summarizeSetEvaluation } from '../eval/format-set-evaluation.js';
import { answerEvalModes, openAnswerPipeline, type AnswerEvalMode } from '../eval/answers/answer-pipeline.js';
import { loadAnswerSet } from '../eval/answers/answer-set.js';
import { evaluateAnswerSet, type AnswerSetReport } from '../eval/answers/evaluate-answer-set.js';
import { formatAnswerReport } from '../eval/answers/format-answer-report.js';
import { collect, emit, table } from '../output.js';

interface EvalOptions {
  json?: boolean;
  check?: boolean;
  set?: string[];
  answers?: boolean;
  mode?: string;
  verbose?: boolean;
}

/** Each failing verdict of a run, briefly: where, which rule, why. */
function failuresOf(turns: AnswerSetReport['turnReports']) {
  return turns.flatMap((turn) =>
    Object.entries(turn.verdicts).flatMap(([rule, verdict]) =>
      verdict.status === 'fail' ? [{ conversation: turn.conversation, turn: turn.turn, rule, detail: verdict.detail }] : [],
    ),
  );
}

/**
 * `cairn eval --answers`: each answer set's conversations through the real answer path on
 * a fresh in-memory database with the starter corpus, every rule scored (docs/evaluation.md).
 */
async function evaluateAnswers(options: EvalOptions): Promise<void> {
  const mode = (options.mode ?? 'extractive') as AnswerEvalMode;
  if (!answerEvalModes.includes(mode)) evalCommand.error(`cairn eval: --mode expects ${answerEvalModes.join(' or ')}, got ${options.mode}`);
  const sets = (options.set?.length ? options.set : ['quick']).map(loadAnswerSet);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const pipeline = await openAnswerPipeline({ mode, environment: processEnvironment(), log: options.verbose ? log : undefined });
  const reports: AnswerSetReport[] = [];
  try {
    for (const set of sets) reports.push(await evaluateAnswerSet(set, pipeline));
  } finally {
    await pipeline.close();
  }
  const verbose = Boolean(options.verbose);
  emit(
    Boolean(options.json),
    { sets: verbose ? reports : reports.map(({ turnReports, ...report }) => ({ ...report, failures: failuresOf(turnReports) })) },
    () => reports.map((report) => formatAnswerReport(report, { verbose })).join('\n\n'),
  );
  if (options.check && reports.some((report) => report.rules.some((score) => score.failed > 0))) process.exitCode = 1;
}

export const evalCommand = new Command('eval')
  .description('Score dense, keyword and hybrid retrieval on the gold set (recall@5, MRR@10, nDCG@10), or answers with --answers')
  .option('--json', 'print the scores as JSON')
  .option(
    '--check',
    'exit with status 1 unless the configured default mode is the best by nDCG@10 (with --answers: unless every rule passes on every turn)',
  )
  .option(
    '--set <name|path>',
    'score each stage (keyword, dense, fused, reranked) and the whole-page BM25 baseline on a set: starter-notes, staffeng-excerpts, staffeng, or a directory (repeatable); with --answers, an answer set: quick or a JSON file',
    collect,
  )
  .option('--answers', 'score answers instead of retrieval: run conversations through the answer pipeline and check each rule')
  .option('--mode <mode>', 'with --answers: extractive (the default), or llm against the scripted OpenAI-compatible test server')
  .option('--verbose', 'with --answers: list every failing turn and every answer')
  .addHelpText(
    'after',
    '\nRuns over the starter corpus (or each --set) in a fresh in-memory database, with the configured embedder. Sets and rules: docs/evaluation.md.',
  )
  .action(async (options: EvalOptions) => {
    if (options.answers) return evaluateAnswers(options);
    if (options.mode || options.verbose) evalCommand.error('cairn eval: --mode and --verbose apply to --answers');
    const config = loadConfig();
    if (options.set?.length) {
      if (options.check) evalCommand.error('cairn eval: --check applies to the default gold set, not to --set');
      const sets = options.set.map(loadDevSet);
      const embedder = await createEmbedder(config);
      const evaluations: SetEvaluation[] = [];
      for (const set of sets) evaluations.push(await evaluateDevSet(set, embedder));
      emit(Boolean(options.json), { sets: evaluations.map(summarizeSetEvaluation) }, () =>
        evaluations.map(formatSetEvaluation).join('\n\n'),
      );
      return;
    }
    const evaluation = await evaluateStarterCorpus(await createEmbedder(config));
    const data = {
      ...evaluation,
      defaultMode: config.retrievalMode,
      scores: evaluation.scores.map(({ perQuestion: _perQuestion, ...scores }) => scores),
    };
    emit(Boolean(options.json), data, () => {
      const rows = [['mode', 'recall@5', 'MRR@10', 'nDCG@10', '']];
      for (const score of evaluation.scores) {
        rows.push([
          score.mode,
          score.recallAt5.toFixed(3),
          score.mrrAt10.toFixed(3),
          score.ndcgAt10.toFixed(3),
          score.mode === config.retrievalMode ? '← default' : '',
        ]);
      }
      const verdict =
        evaluation.best === config.retrievalMode
          ? `Best by nDCG@10: ${evaluation.best}, the default.`
          : `Best by nDCG@10: ${evaluation.best}, but the default is ${config.retrievalMode} (CAIRN_RETRIEVAL_MODE).`;
      return `Retrieval on the gold set: ${evaluation.questions} questions over the starter corpus, embeddings ${evaluation.embeddingModel}\n\n${table(rows)}\n\n${verdict}`;
    });
    if (options.check && evaluation.best !== config.retrievalMode) process.exitCode = 1;
  });
