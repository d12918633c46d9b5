import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * The Int8 values of a word-vector table, one row of `dimensions` per word: where a row
 * is. `locate` may replace `values`, so read it after each call.
 */
export interface WordVectorRows {
  /** The offset in `values` of the row of the word at `rank`. */
  locate(rank: number): number;
  readonly values: Int8Array;
  /** How many rows are held in memory. */
  readonly rowsHeld: number;
}

/** Every row in memory (a table that has no cache file to read from). */
export class MatrixRows implements WordVectorRows {
  constructor(
    readonly values: Int8Array,
    private readonly dimensions: number,
  ) {}

  get rowsHeld(): number {
    return this.values.length / this.dimensions;
  }

  locate(rank: number): number {
    return rank * this.dimensions;
  }
}

/** Closes a table's file once the table is collected (a table is usually held for the process's life). */
const closeWhenCollected = new FinalizationRegistry<FileHandle>((handle) => void handle.close().catch(() => undefined));

/**
 * Rows read from the table's cache file when first used, the most recently used kept in
 * memory (up to `limit`; beyond it, a clock gives each row a second chance before it is
 * replaced). A corpus and its questions use a few tens of thousands of the 341,479 words,
 * so this holds a few MB where the whole matrix is 34 MB, and a row is read from the page
 * cache (one `pread`, about a microsecond) once, not for each passage.
 *
 * Reads are synchronous: embedding is. The open file keeps its contents even when the
 * cache file is replaced (rename) or removed, so the rows always match the words read with them.
 */
export class FileRows implements WordVectorRows {
  values: Int8Array;
  /** The slot holding the row of each rank, or -1. */
  private readonly slotOfRank: Int32Array;
  private readonly rankInSlot: Int32Array;
  /** Set when a slot's row is used, cleared as the clock passes it. */
  private readonly recentlyUsed: Uint8Array;
  private filled = 0;
  private hand = 0;

  constructor(
    private readonly handle: FileHandle,
    /** Where the first row starts in the file. */
    private readonly valuesAt: number,
    count: number,
    private readonly dimensions: number,
    private readonly limit: number,
  ) {
    this.slotOfRank = new Int32Array(count).fill(-1);
    this.rankInSlot = new Int32Array(limit);
    this.recentlyUsed = new Uint8Array(limit);
    // Grown by doubling as rows are read, so that memory is held for the rows used, not the limit.
    this.values = new Int8Array(Math.min(limit, 1024) * dimensions);
    closeWhenCollected.register(this, handle);
  }

  get rowsHeld(): number {
    return this.filled;
  }

  locate(rank: number): number {
    let slot = this.slotOfRank[rank]!;
    if (slot < 0) slot = this.read(rank);
    this.recentlyUsed[slot] = 1;
    return slot * this.dimensions;
  }

  private read(rank: number): number {
    const slot = this.filled < this.limit ? this.grow() : this.evict();
    const offset = slot * this.dimensions;
    const length = readSync(this.handle.fd, this.values, offset, this.dimensions, this.valuesAt + rank * this.dimensions);
    if (length !== this.dimensions) throw new Error(`the word-vector cache file ended before the row of word ${rank}`);
    this.slotOfRank[rank] = slot;
    this.rankInSlot[slot] = rank;
    return slot;
  }

  /** The next unfilled slot, the values doubled where they are full. */
  private grow(): number {
    if (this.filled * this.dimensions === this.values.length) {
      const larger = new Int8Array(Math.min(this.limit, this.filled * 2) * this.dimensions);
      larger.set(this.values);
      this.values = larger;
    }
    return this.filled++;
  }

  /** The first slot the clock finds unused since it last passed, its row forgotten. */
  private evict(): number {
    while (this.recentlyUsed[this.hand] === 1) {
      this.recentlyUsed[this.hand] = 0;
      this.hand = (this.hand + 1) % this.limit;
    }
    const slot = this.hand;
    this.hand = (this.hand + 1) % this.limit;
    this.slotOfRank[this.rankInSlot[slot]!] = -1;
    return slot;
  }
}
