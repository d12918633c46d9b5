import { describe, expect, it } from 'vitest';
import { CompactVocabulary } from './compact-vocabulary.js';

/** What the word-vector table did before it held its words compactly: a string[], a Map and a sort. */
function naiveVocabulary(words: readonly string[]) {
  const indexByWord = new Map<string, number>();
  words.forEach((word, index) => {
    if (!indexByWord.has(word)) indexByWord.set(word, index);
  });
  const sorted = Int32Array.from(words.keys()).sort((a, b) => (words[a]! < words[b]! ? -1 : words[a]! > words[b]! ? 1 : a - b));
  return {
    indexOf: (word: string) => indexByWord.get(word) ?? -1,
    completions(prefix: string, limit: number, scan: number): number[] {
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

/** Every prefix of every word, as code units (so also half a surrogate pair), and some that start no word. */
function prefixesOf(words: readonly string[]): string[] {
  const prefixes = new Set(['', 'zzz', '\u{10FFFF}', '\uFFFF', '\uD800', '\uDFFF', 'a\uDC00']);
  for (const word of words) for (let length = 1; length <= word.length; length += 1) prefixes.add(word.slice(0, length));
  return [...prefixes];
}

// ASCII, two-, three- and four-byte UTF-8, U+E000–U+FFFF (where byte order and JS string order differ) and astral characters.
const words = [
  'the',
  'team',
  'café',
  'cafe',
  'über',
  'zürich',
  '日本',
  '日本語',
  '\uE000private',
  '\uFFFD',
  'ﬁle',
  '😀',
  '😀smile',
  '𝒳',
  'team',
  '',
  'tea',
  'naïve',
  '€',
  'Zürich',
];

describe('CompactVocabulary', () => {
  const vocabulary = CompactVocabulary.from(words);
  const naive = naiveVocabulary(words);

  it('finds each word at its first index, and nothing for a word it lacks', () => {
    expect(vocabulary.size).toBe(words.length);
    expect(vocabulary.indexOf('the')).toBe(0);
    expect(vocabulary.indexOf('team')).toBe(1);
    expect(vocabulary.indexOf('tea')).toBe(16);
    expect(vocabulary.indexOf('')).toBe(15);
    for (const absent of ['te', 'teams', 'Team', 'caf', 'cafés', 'zurich', '日', '😀smil', '\uD83D', 'x\n'])
      expect(vocabulary.indexOf(absent)).toBe(-1);
    words.forEach((word) => expect(vocabulary.indexOf(word)).toBe(naive.indexOf(word)));
  });

  it('finds non-ASCII words by their characters, whatever their UTF-8 length', () => {
    expect(vocabulary.indexOf('café')).toBe(2);
    expect(vocabulary.indexOf('cafe\u0301')).toBe(-1); // Another spelling (decomposed): another word, as in a Map.
    expect(vocabulary.indexOf('日本語')).toBe(7);
    expect(vocabulary.indexOf('😀')).toBe(11);
    expect(vocabulary.indexOf('𝒳')).toBe(13);
    expect(vocabulary.indexOf('\uFFFD')).toBe(9);
    // A lone surrogate is not the replacement character that UTF-8 would turn it into.
    expect(vocabulary.indexOf('\uD800')).toBe(-1);
  });

  it('gives back each word as a string', () => {
    words.forEach((word, index) => expect(vocabulary.word(index)).toBe(word));
    expect(() => vocabulary.word(words.length)).toThrow(RangeError);
  });

  it('completes every prefix as a string[] sorted alphabetically does, non-ASCII included', () => {
    for (const prefix of prefixesOf(words)) {
      for (const [limit, scan] of [
        [3, 2000],
        [100, 2000],
        [5, 2],
      ] as const) {
        expect(vocabulary.completions(prefix, limit, scan), `${JSON.stringify(prefix)} ${limit} ${scan}`).toEqual(
          naive.completions(prefix, limit, scan),
        );
      }
    }
    expect(vocabulary.completions('caf', 5, 2000)).toEqual([2, 3]);
    expect(vocabulary.completions('😀', 5, 2000)).toEqual([11, 12]);
    expect(vocabulary.completions('\uD83D', 5, 2000)).toEqual([11, 12]); // Half a pair starts the word in JS too.
  });

  it('agrees with a string[] and a Map on many random words', () => {
    // Deterministic: a linear congruential generator over an alphabet where UTF-8 and UTF-16 orders differ.
    const alphabet = ['a', 'b', 'z', 'é', 'ÿ', 'ā', '中', '\uE000', '\uFFFD', '😀', '𝒳', '\u{10FFFF}'];
    let state = 12345;
    const next = (bound: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % bound;
    };
    const randomWords = Array.from({ length: 3000 }, () =>
      Array.from({ length: 1 + next(5) }, () => alphabet[next(alphabet.length)]).join(''),
    );
    const randomVocabulary = CompactVocabulary.from(randomWords);
    const randomNaive = naiveVocabulary(randomWords);
    for (const word of [...randomWords, ...alphabet.map((letter) => `${letter}${letter}${letter}${letter}${letter}${letter}`)]) {
      expect(randomVocabulary.indexOf(word)).toBe(randomNaive.indexOf(word));
    }
    for (const prefix of prefixesOf(randomWords.slice(0, 300))) {
      expect(randomVocabulary.completions(prefix, 3, 40), JSON.stringify(prefix)).toEqual(randomNaive.completions(prefix, 3, 40));
    }
  });

  it('reads words joined by newlines as UTF-8, taking bytes that are not UTF-8 as decoding them does', () => {
    const joined = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0x62, 0xff, 0x61, 0x0a, 0xed, 0xa0, 0x80]), Buffer.from('\nlast')]);
    const fromBytes = CompactVocabulary.fromJoined(joined);
    const decoded = joined.toString('utf8').split('\n');
    expect(fromBytes.size).toBe(decoded.length);
    decoded.forEach((word, index) => {
      expect(fromBytes.indexOf(word)).toBe(index);
      expect(fromBytes.word(index)).toBe(word);
    });
    expect(fromBytes.indexOf('b\uFFFDa')).toBe(1);
  });

  it('comes back from its index as it was, and refuses an index that does not fit its words', () => {
    const words = Array.from({ length: 500 }, (_, index) => ['team', 'café', '中文', '😀'][index % 4] + String(index % 450));
    const joined = Buffer.from(words.join('\n'), 'utf8');
    const { starts, slots } = CompactVocabulary.fromJoined(joined).index;
    const restored = CompactVocabulary.fromIndex(joined, starts, slots)!;
    const naive = naiveVocabulary(words);
    expect(restored.size).toBe(words.length);
    words.forEach((word, index) => {
      expect(restored.indexOf(word)).toBe(naive.indexOf(word)); // a repeated word at its first index
      expect(restored.word(index)).toBe(word);
    });
    expect(restored.indexOf('not-a-word-of-these')).toBe(-1);
    // Another vocabulary's words, a start cut short, a slot out of range, too few slots.
    expect(CompactVocabulary.fromIndex(Buffer.from('a\nb'), starts, slots)).toBeUndefined();
    expect(CompactVocabulary.fromIndex(joined, starts.subarray(0, -1), slots)).toBeUndefined();
    const wrongSlot = new Int32Array(slots);
    wrongSlot[wrongSlot.findIndex((index) => index === -1)] = words.length;
    expect(CompactVocabulary.fromIndex(joined, starts, wrongSlot)).toBeUndefined();
    expect(CompactVocabulary.fromIndex(joined, starts, slots.subarray(1))).toBeUndefined();
  });

  it('refuses a word that holds a newline', () => {
    expect(() => CompactVocabulary.from(['a\nb'])).toThrow(RangeError);
  });
});
