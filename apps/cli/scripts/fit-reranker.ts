/**
 * Fits the weights of the offline reranker (FeatureReranker) on development sets: each set
 * is ingested into a fresh in-memory database with the default local embedder, the fused
 * top 50 of every question and their features are computed once, and coordinate ascent from
 * the shipped weights searches the weights that maximise the mean nDCG@10 of pages (each set
 * counts equally; the dense rank's weight stays fixed as the scale).
 * Prints the weights to paste into `fittedRerankWeights` and the scores before and after,
 * with a leave-one-set-out check: weights fitted without a set, scored on it.
 *
 *   node --import tsx apps/cli/scripts/fit-reranker.ts [--set NAME]... [--data-dir DIR]
 *
 * Sets default to starter-notes, staffeng-excerpts and every set built in .cairn/dev-sets/
 * except the held-out ones (names ending -heldout or -heldout-N).
 */
import { existsSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LocalSemanticEmbedder, meaningSimilarity } from '@cairn/embed';

import {
  FeatureReranker,
  fittedRerankWeights,
  ndcgAtK,
  recallAtK,
  reciprocalRankAtK,
  rerankDepth,
  rerankFeatures,
  Retriever,
  scoreFeatures,
  type RerankWeights,
} from '@cairn/retrieve';
import { Store } from '@cairn/store';
import { builtDevSetsDirectory, loadDevSet, type DevSet } from '../src/eval/dev-set.js';
import { ingestDirectory, toSourceName } from '@cairn/ingest';
import { pageKeyOf } from '../src/eval/evaluate-dev-set.js';

interface Candidate {
  page: string;
  features: RerankWeights;
}

interface Question {
  expected: string[];
  candidates: Candidate[];
}

/** Candidates per list in `cairn eval` (max(50, 4 × its k of 30)). */
const evaluationCandidates = 120;

const { values } = parseArgs({ options: { set: { type: 'string', multiple: true }, 'data-dir': { type: 'string', default: '.cairn' } } });
const builtSets = existsSync(builtDevSetsDirectory) ? readdirSync(builtDevSetsDirectory) : [];
// A held-out set (name ending -heldout or -heldout-N) is a check on the fit, so it is never fitted on by default.
const setNames = values.set ?? ['starter-notes', 'staffeng-excerpts', ...builtSets.filter((name) => !/-heldout(?:-\d+)?$/.test(name))];
const embedder = await LocalSemanticEmbedder.open(values['data-dir']);
const reranker = new FeatureReranker(meaningSimilarity(embedder));

async function collect(set: DevSet): Promise<Question[]> {
  const store = await Store.open({});
  try {
    await store.embeddings.registerModel(embedder.model, embedder.dimensions, embedder.vectorType, embedder.meaningDimensions);
    const sourceName = toSourceName(set.name);
    await ingestDirectory(store, embedder, { directory: set.notesDirectory, sourceName, trigger: 'cli' });
    const locators = await store.documents.locatorsOfSource(sourceName);
    const retriever = new Retriever(store, embedder, 'hybrid');
    const questions: Question[] = [];
    for (const question of set.questions) {
      const { results } = await retriever.retrieve(question.question, {
        k: rerankDepth,
        perDocument: rerankDepth,
        // As many candidates per list as `cairn eval` takes (evaluateRetrieval: k 30), so the fused figures agree.
        candidates: evaluationCandidates,
        filters: { sources: [sourceName] },
      });
      const features = reranker.features(question.question, results);
      questions.push({
        expected: question.expected,
        candidates: results.map((result, index) => ({
          page: pageKeyOf(set.pageKey, locators.get(result.documentId) ?? result.url, result.url),
          features: features[index]!,
        })),
      });
    }
    return questions;
  } finally {
    await store.close();
  }
}

function scoreSet(questions: readonly Question[], weights: RerankWeights) {
  let ndcg = 0;
  let recall = 0;
  let mrr = 0;
  for (const question of questions) {
    const ranked = question.candidates
      .map((candidate, index) => ({ candidate, index, score: scoreFeatures(candidate.features, weights) }))
      .sort((a, b) => b.score - a.score || a.index - b.index);
    const pages = [...new Set(ranked.map((entry) => entry.candidate.page))].slice(0, 10);
    ndcg += ndcgAtK(question.expected, pages, 10);
    recall += recallAtK(question.expected, pages, 5);
    mrr += reciprocalRankAtK(question.expected, pages, 10);
  }
  const count = questions.length || 1;
  return { ndcg: ndcg / count, recall: recall / count, mrr: mrr / count };
}

const objective = (sets: readonly Question[][], weights: RerankWeights) =>
  sets.reduce((sum, questions) => sum + scoreSet(questions, weights).ndcg, 0) / sets.length;

/** A change must raise the mean nDCG@10 by this much: smaller gains were seen not to survive leaving a set out. */
const minimumGain = 0.003;

/** The feature whose weight stays as shipped, the scale of the others. */
const scaleFeature = 'dense';

/** Coordinate ascent from the shipped weights, with shrinking steps. */
function fit(sets: readonly Question[][]): RerankWeights {
  const weights = { ...fittedRerankWeights };
  let best = objective(sets, weights);
  for (const step of [0.5, 0.25]) {
    for (let round = 0; round < 6; round += 1) {
      let improved = false;
      for (const feature of rerankFeatures) {
        if (feature === scaleFeature) continue;
        for (const direction of [1, -1]) {
          const weight = Math.round((weights[feature] + direction * step) * 100) / 100;
          // Non-negative: each feature is built so that more means more relevant.
          if (weight < 0) continue;
          const trial = { ...weights, [feature]: weight };
          const score = objective(sets, trial);
          if (score > best + minimumGain) {
            best = score;
            Object.assign(weights, trial);
            improved = true;
          }
        }
      }
      if (!improved) break;
    }
  }
  return weights;
}

const fused = Object.fromEntries(rerankFeatures.map((feature) => [feature, feature === 'fused' ? 1 : 0])) as RerankWeights;
const collected: { name: string; questions: Question[] }[] = [];
for (const name of setNames) {
  const set = loadDevSet(name);
  collected.push({ name: set.name, questions: await collect(set) });
  console.error(`collected ${set.name}: ${set.questions.length} questions`);
}
const weights = fit(collected.map((set) => set.questions));
const format = (scores: { recall: number; mrr: number; ndcg: number }) =>
  `${scores.recall.toFixed(3)} / ${scores.mrr.toFixed(3)} / ${scores.ndcg.toFixed(3)}`;
console.log('set | fused r@5 / MRR@10 / nDCG@10 | shipped weights | refitted (all sets) | refitted without this set');
for (const set of collected) {
  const others = collected.filter((other) => other !== set).map((other) => other.questions);
  const heldOut = others.length ? fit(others) : weights;
  console.log(
    `${set.name} | ${format(scoreSet(set.questions, fused))} | ${format(scoreSet(set.questions, fittedRerankWeights))} | ${format(scoreSet(set.questions, weights))} | ${format(scoreSet(set.questions, heldOut))}`,
  );
}
console.log(JSON.stringify(weights, null, 2));
