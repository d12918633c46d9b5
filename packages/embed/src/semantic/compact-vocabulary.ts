import { isUtf8 } from 'node:buffer';

const newline = 0x0a;
const emptySlot = -1;

/**
 * A large list of words held without a JavaScript string per word: their UTF-8 bytes in
 * one array, where each starts in an Int32Array, and an open-addressing hash table (linear
 * probing, FNV-1a over the UTF-16 code units) from word to index. For the 341,479 words of
 * the word-vector table that is about 9 MB of typed arrays, against 33 MB of V8 heap for
 * an array of strings and a Map.
 *
 * It answers as a `string[]` would: a word is the string its bytes decode to, found by
 * comparing code units, and words are ordered as JavaScript compares strings (by UTF-16
 * code unit, which differs from the bytes' order where a character above U+FFFF meets one
 * from U+E000 to U+FFFF). A word is materialised as a string only when asked for (`word`).
 */
export class CompactVocabulary {
  /** Word indexes in alphabetical order (ties by index), sorted on first use. */
  private alphabetical: Int32Array | undefined;

  private constructor(
    private readonly bytes: Uint8Array,
    /** Word i is bytes [starts[i], starts[i + 1] − 1): each is followed by a newline, the last by a virtual one. */
    private readonly starts: Int32Array,
    /** A word's index at the slot of its hash (or the next free one after it), else emptySlot. */
    private readonly slots: Int32Array,
  ) {}

  /**
   * The vocabulary of words joined by newlines, as UTF-8 (a word-vector file's word block).
   * Bytes that are not valid UTF-8 are taken as decoding them gives (U+FFFD for each bad
   * sequence), so that the words are those that `toString('utf8').split('\n')` would give.
   */
  static fromJoined(joined: Uint8Array): CompactVocabulary {
    const view = Buffer.from(joined.buffer, joined.byteOffset, joined.byteLength);
    // A copy either way, so that a file's buffer is not kept alive by a view into it.
    const bytes = new Uint8Array(isUtf8(view) ? view : Buffer.from(view.toString('utf8'), 'utf8'));
    let count = 1;
    for (let at = 0; at < bytes.length; at += 1) if (bytes[at] === newline) count += 1;
    const starts = new Int32Array(count + 1);
    let word = 1;
    for (let at = 0; at < bytes.length; at += 1) if (bytes[at] === newline) starts[word++] = at + 1;
    starts[count] = bytes.length + 1;
    const slots = new Int32Array(vocabularySlots(count)).fill(emptySlot);
    const vocabulary = new CompactVocabulary(bytes, starts, slots);
    for (let index = 0; index < count; index += 1) vocabulary.insert(index);
    return vocabulary;
  }

  /**
   * The vocabulary of `joined` (valid UTF-8, as `index` was made from) with the word starts and
   * hash slots that `index` gave for it, as a cache file keeps them: no word is hashed again.
   * The two arrays are kept, not copied (the caller must not change them); the words are copied.
   *
   * Undefined when they do not fit the words, so that a damaged cache file is rebuilt rather than
   * read: the words must be UTF-8; the starts must rise, each after a newline, with no newline
   * inside a word; every slot must be empty or hold a word's index, and at least as many empty
   * as the table has more slots than words (a lookup of an absent word then ends). One pass
   * over the words and one over the slots: a few milliseconds, against hashing every word.
   */
  static fromIndex(joined: Uint8Array, starts: Int32Array, slots: Int32Array): CompactVocabulary | undefined {
    const count = starts.length - 1;
    if (count < 1 || starts[0] !== 0 || starts[count] !== joined.length + 1 || slots.length !== vocabularySlots(count)) return undefined;
    if (!isUtf8(joined)) return undefined;
    let word = 1;
    for (let at = 0; at < joined.length; at += 1) {
      if (joined[at] !== newline) continue;
      // The newline that ends word − 1 is where word `word` starts, one byte before.
      if (word >= count || starts[word] !== at + 1) return undefined;
      word += 1;
    }
    if (word !== count) return undefined;
    let empty = 0;
    for (let slot = 0; slot < slots.length; slot += 1) {
      const index = slots[slot]!;
      if (index === emptySlot) empty += 1;
      else if (index < 0 || index >= count) return undefined;
    }
    if (empty < slots.length - count) return undefined;
    return new CompactVocabulary(new Uint8Array(joined), starts, slots);
  }

  /** Where each word starts and the hash slots, for fromIndex (views of this vocabulary's arrays: not to be changed). */
  get index(): { starts: Int32Array; slots: Int32Array } {
    return { starts: this.starts, slots: this.slots };
  }

  /** The vocabulary of these words (none may hold a newline). */
  static from(words: readonly string[]): CompactVocabulary {
    if (words.some((word) => word.includes('\n'))) throw new RangeError('a word of a CompactVocabulary cannot hold a newline');
    return CompactVocabulary.fromJoined(Buffer.from(words.join('\n'), 'utf8'));
  }

  get size(): number {
    return this.starts.length - 1;
  }

  /** The index of the word (its first, where it occurs twice), or -1. */
  indexOf(word: string): number {
    const mask = this.slots.length - 1;
    for (let slot = hashString(word) & mask; ; slot = (slot + 1) & mask) {
      const index = this.slots[slot]!;
      if (index === emptySlot || this.compare(index, word, false) === 0) return index;
    }
  }

  /** The word at `index`, as a new string. */
  word(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`no word at index ${index} of ${this.size}`);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString(
      'utf8',
      this.starts[index]!,
      this.starts[index + 1]! - 1,
    );
  }

  /**
   * Up to `limit` of the lowest indexes of words that start with `prefix`, by binary
   * search over the words in alphabetical order; none where more than `scan` words start
   * with it.
   */
  completions(prefix: string, limit: number, scan: number): number[] {
    const sorted = (this.alphabetical ??= this.sortAlphabetically());
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compare(sorted[middle]!, prefix, false) < 0) low = middle + 1;
      else high = middle;
    }
    const found: number[] = [];
    for (let position = low; position < sorted.length && this.compare(sorted[position]!, prefix, true) === 0; position += 1) {
      if (position - low >= scan) return [];
      found.push(sorted[position]!);
    }
    return found.sort((a, b) => a - b).slice(0, limit);
  }

  private insert(index: number): void {
    const mask = this.slots.length - 1;
    for (let slot = this.hashWord(index) & mask; ; slot = (slot + 1) & mask) {
      const present = this.slots[slot]!;
      if (present === emptySlot) {
        this.slots[slot] = index;
        return;
      }
      // A repeated word keeps its first index, as a Map filled in order without overwriting would.
      if (this.compareWords(present, index) === 0) return;
    }
  }

  /**
   * The word at `index` against `text` in JavaScript string order: negative, zero or
   * positive. With `asPrefix`, only the word's first text.length code units count (zero:
   * the word starts with `text`).
   */
  private compare(index: number, text: string, asPrefix: boolean): number {
    const bytes = this.bytes;
    const end = this.starts[index + 1]! - 1;
    let position = 0;
    for (let at = this.starts[index]!; at < end;) {
      if (position === text.length) return asPrefix ? 0 : 1;
      const lead = bytes[at]!;
      if (lead < 0x80) {
        // ASCII, the common case, without decoding.
        const difference = lead - text.charCodeAt(position);
        if (difference !== 0) return difference;
        at += 1;
        position += 1;
        continue;
      }
      const point = codePointAt(bytes, at);
      at += sequenceLength(lead);
      if (point > 0xffff) {
        const difference = highSurrogate(point) - text.charCodeAt(position);
        if (difference !== 0) return difference;
        position += 1;
        if (position === text.length) return asPrefix ? 0 : 1;
        const lowDifference = lowSurrogate(point) - text.charCodeAt(position);
        if (lowDifference !== 0) return lowDifference;
      } else {
        const difference = point - text.charCodeAt(position);
        if (difference !== 0) return difference;
      }
      position += 1;
    }
    return position === text.length ? 0 : -1;
  }

  /**
   * Two words in JavaScript string order, by their bytes. UTF-8's byte order is code point
   * order; UTF-16's differs only in putting characters above U+FFFF (lead bytes F0–F4,
   * surrogates D800–DBFF) before those from U+E000 to U+FFFF (lead bytes EE and EF).
   */
  private compareWords(a: number, b: number): number {
    const bytes = this.bytes;
    let atA = this.starts[a]!;
    let atB = this.starts[b]!;
    const lengthA = this.starts[a + 1]! - 1 - atA;
    const lengthB = this.starts[b + 1]! - 1 - atB;
    const endA = atA + Math.min(lengthA, lengthB);
    for (; atA < endA; atA += 1, atB += 1) {
      let byteA = bytes[atA]!;
      let byteB = bytes[atB]!;
      if (byteA === byteB) continue;
      // Equal bytes before: both are lead bytes, or continuation bytes of one lead (already in order).
      if (byteA >= 0xee && byteB >= 0xee) {
        if (byteA < 0xf0) byteA += 0x10;
        if (byteB < 0xf0) byteB += 0x10;
      }
      return byteA - byteB;
    }
    return lengthA - lengthB;
  }

  private sortAlphabetically(): Int32Array {
    const indexes = new Int32Array(this.size);
    for (let index = 0; index < indexes.length; index += 1) indexes[index] = index;
    return indexes.sort((a, b) => this.compareWords(a, b) || a - b);
  }

  /** hashString of the word at `index`, from its bytes. */
  private hashWord(index: number): number {
    const bytes = this.bytes;
    const end = this.starts[index + 1]! - 1;
    let hash = fnvOffset;
    for (let at = this.starts[index]!; at < end; at += sequenceLength(bytes[at]!)) {
      const point = codePointAt(bytes, at);
      if (point > 0xffff) {
        hash = Math.imul(hash ^ highSurrogate(point), fnvPrime);
        hash = Math.imul(hash ^ lowSurrogate(point), fnvPrime);
      } else hash = Math.imul(hash ^ point, fnvPrime);
    }
    return hash >>> 0;
  }
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

/**
 * The hash slots of a vocabulary of `count` words: at most half full, so that a probe for a
 * word that is absent ends after about 1.5 slots. A cache file's layout depends on it.
 */
export function vocabularySlots(count: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2 * count, 8)));
}

/** FNV-1a over the UTF-16 code units of a string. */
function hashString(text: string): number {
  let hash = fnvOffset;
  for (let position = 0; position < text.length; position += 1) hash = Math.imul(hash ^ text.charCodeAt(position), fnvPrime);
  return hash >>> 0;
}

/** The bytes of the UTF-8 sequence that starts with `lead` (valid UTF-8). */
function sequenceLength(lead: number): number {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** The code point of the (valid) UTF-8 sequence at `at`. */
function codePointAt(bytes: Uint8Array, at: number): number {
  const lead = bytes[at]!;
  if (lead < 0x80) return lead;
  if (lead < 0xe0) return ((lead & 0x1f) << 6) | (bytes[at + 1]! & 0x3f);
  if (lead < 0xf0) return ((lead & 0x0f) << 12) | ((bytes[at + 1]! & 0x3f) << 6) | (bytes[at + 2]! & 0x3f);
  return ((lead & 0x07) << 18) | ((bytes[at + 1]! & 0x3f) << 12) | ((bytes[at + 2]! & 0x3f) << 6) | (bytes[at + 3]! & 0x3f);
}

function highSurrogate(point: number): number {
  return 0xd800 + ((point - 0x10000) >> 10);
}

function lowSurrogate(point: number): number {
  return 0xdc00 + ((point - 0x10000) & 0x3ff);
}
