import { Command } from 'commander';
import { loadConfig } from '@cairn/core';
import { createEmbedder } from '@cairn/embed';
import { evaluateStarterCorpus } from '../evaluate-starter-corpus.js';
import { loadDevSet } from '../eval/dev-set.js';
import { evaluateDevSet, type SetEvaluation } from '../eval/evaluate-dev-set.js';
import { formatSetEvaluation, summarizeSetEvaluation } from '../eval/format-set-evaluation.js';
import { collect, emit, table } from '../output.js';

export const evalCommand = new Command('eval')
  .description('Score dense, keyword and hybrid retrieval on the gold set (recall@5, MRR@10, nDCG@10)')
  .option('--json', 'print the scores as JSON')
  .option('--check', 'exit with status 1 unless the configured default mode is the best by nDCG@10')
  .option(
    '--set <name|path>',
    'score each stage (keyword, dense, fused, reranked) and the whole-page BM25 baseline on a set: starter-notes, staffeng-excerpts, staffeng, or a directory (repeatable)',
    collect,
  )
  .addHelpText(
    'after',
    '\nRuns over the starter corpus (or each --set) in a fresh in-memory database, with the configured embedder. Sets: docs/evaluation.md.',
  )
  .action(async (options: { json?: boolean; check?: boolean; set?: string[] }) => {
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
