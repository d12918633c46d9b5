import { describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { LocalSemanticEmbedder } from '@cairn/embed';
import { loadGoldSet } from '@cairn/starter-corpus';
import { evaluateStarterCorpus } from '../src/index.js';

describe('retrieval evaluation on the gold set', () => {
  it('has at least 40 questions, each naming notes that exist', async () => {
    const { readdir } = await import('node:fs/promises');
    const { starterNotesDirectory } = await import('@cairn/starter-corpus');
    const slugs = new Set((await readdir(starterNotesDirectory)).map((file) => file.replace(/\.md$/, '')));
    const questions = loadGoldSet();
    expect(questions.length).toBeGreaterThanOrEqual(40);
    expect(slugs.size).toBeGreaterThanOrEqual(30);
    for (const question of questions) for (const slug of question.expected) expect(slugs, `${question.id} expects ${slug}`).toContain(slug);
  });

  // With the default embedder: the fusion weights are measured for it (dense 1, keyword 0.5).
  it('scores every mode, and the default mode is the best by nDCG@10', async () => {
    const evaluation = await evaluateStarterCorpus(await LocalSemanticEmbedder.open(''));
    expect(evaluation.scores.map((score) => score.mode)).toEqual(['dense', 'keyword', 'hybrid']);
    for (const score of evaluation.scores) {
      for (const value of [score.recallAt5, score.mrrAt10, score.ndcgAt10]) {
        expect(value).toBeGreaterThan(0.5);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    expect(evaluation.best).toBe(loadConfig({}).retrievalMode);
  }, 120_000);
});
