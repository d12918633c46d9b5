import { table } from '../output.js';
import type { SetEvaluation, StageScores } from './evaluate-dev-set.js';

const metric = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));

/** The scores of a set without the per-question detail, for --json. */
export function summarizeSetEvaluation(evaluation: SetEvaluation) {
  const summary = ({ perQuestion: _perQuestion, ...scores }: StageScores) => scores;
  return { ...evaluation, stages: evaluation.stages.map(summary), baseline: summary(evaluation.baseline) };
}

/** One table per set: each stage, then the whole-page BM25 baseline beside them. */
export function formatSetEvaluation(evaluation: SetEvaluation): string {
  const rows = [['stage', 'recall@5', 'MRR@10', 'nDCG@10']];
  for (const score of [...evaluation.stages, evaluation.baseline]) {
    rows.push([score.stage, metric(score.recallAt5), metric(score.mrrAt10), metric(score.ndcgAt10)]);
  }
  const heading = `Set ${evaluation.set}: ${evaluation.questions} questions over ${evaluation.pages} pages, embeddings ${evaluation.embeddingModel} (hits counted by page)`;
  const problems = evaluation.problems.length > 0 ? `\n\nProblems:\n  ${evaluation.problems.join('\n  ')}` : '';
  return `${heading}\n\n${table(rows)}${problems}`;
}
