/**
 * The ways Cairn splits text into words, each named for what it is for. Searching,
 * indexing and embedding use `analyzeText` (stems, stopwords, equivalences); these are the
 * plain splits.
 */

/**
 * Lower-case words as a reader compares them: fullwidth forms folded (NFKC), invisible
 * format characters dropped, punctuation ignored. "Ｆｏｏ­bar, baz!" → ["foobar", "baz"].
 */
export function readerWords(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .replace(/\p{Cf}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * A text cut into the pieces a model would stream: each word with the spaces after it, so
 * that joining the pieces gives the text back exactly. "a  b\n" → ["a  ", "b\n"].
 */
export function streamPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
