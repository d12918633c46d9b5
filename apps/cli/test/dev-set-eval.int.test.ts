import { describe, expect, it } from 'vitest';
import { LocalSemanticEmbedder } from '@cairn/embed';
import { DevSetError, loadDevSet, urlPathKey } from '../src/eval/dev-set.js';
import { evaluateDevSet, evaluationStages, readWholePages } from '../src/eval/evaluate-dev-set.js';

describe('development sets', () => {
  it('commits at least 30 staffeng questions, each naming pages by URL path', async () => {
    const { readFileSync } = await import('node:fs');
    const { devSetsDirectory } = await import('../src/eval/dev-set.js');
    const questions = JSON.parse(readFileSync(`${devSetsDirectory}/staffeng/questions.json`, 'utf8')) as {
      id: string;
      expected: string[];
    }[];
    expect(questions.length).toBeGreaterThanOrEqual(30);
    expect(new Set(questions.map((question) => question.id)).size).toBe(questions.length);
    for (const question of questions)
      for (const path of question.expected) expect(path, question.id).toMatch(/^\/(guides|stories)\/[a-z0-9-]+$/);
  });

  it('finds the starter gold set and the committed excerpt set by name, and explains an unknown name', async () => {
    expect(loadDevSet('starter-notes').pageKey).toBe('slug');
    const excerpts = loadDevSet('staffeng-excerpts');
    expect(excerpts.questions.length).toBeGreaterThanOrEqual(10);
    const keys = new Set((await readWholePages(excerpts)).map((page) => page.key));
    for (const question of excerpts.questions) for (const path of question.expected) expect(keys, question.id).toContain(path);
    expect(() => loadDevSet('no-such-set')).toThrow(DevSetError);
    expect(() => loadDevSet('no-such-set')).toThrow(/build-dev-set/);
  });

  it('keys a page by the path of its URL', () => {
    expect(urlPathKey('https://staffeng.com/guides/staff-archetypes/')).toBe('/guides/staff-archetypes');
    expect(urlPathKey('https://staffeng.com/stories/nelson-elhage#role')).toBe('/stories/nelson-elhage');
  });

  it('scores every stage and the whole-page BM25 baseline on the excerpt set, by page', async () => {
    const evaluation = await evaluateDevSet(loadDevSet('staffeng-excerpts'), await LocalSemanticEmbedder.open(''));
    expect(evaluation.set).toBe('staffeng-excerpts');
    expect(evaluation.problems).toEqual([]);
    expect(evaluation.pages).toBe(11);
    expect(evaluation.stages.map((score) => score.stage)).toEqual([...evaluationStages]);
    expect(evaluation.baseline.stage).toBe('whole-page-bm25');
    for (const score of [...evaluation.stages, evaluation.baseline]) {
      for (const value of [score.recallAt5, score.mrrAt10, score.ndcgAt10]) {
        expect(typeof value, score.stage).toBe('number');
        expect(value, score.stage).toBeGreaterThanOrEqual(0);
        expect(value, score.stage).toBeLessThanOrEqual(1);
      }
      expect(score.perQuestion).toHaveLength(evaluation.questions);
      // Hits are pages: no page twice in a question's ranking.
      for (const question of score.perQuestion) expect(new Set(question.retrieved).size).toBe(question.retrieved.length);
    }
    // All zeros would mean the page keys of results and questions do not meet.
    const keyword = evaluation.stages.find((score) => score.stage === 'keyword')!;
    expect(keyword.ndcgAt10).toBeGreaterThan(0.3);
    // The default embedder's hybrid and reranked stages do not fall below the whole-page baseline.
    for (const stage of ['fused', 'reranked'])
      expect(evaluation.stages.find((score) => score.stage === stage)!.ndcgAt10).toBeGreaterThanOrEqual(evaluation.baseline.ndcgAt10!);
  }, 120_000);
});
