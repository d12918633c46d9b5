/** A sentence ends at . ! or ? (with closing quotes or brackets) followed by white space or the end. */
const sentenceEnd = /(?<=[.!?]["')\]]*)\s+/;

/**
 * The sentences of a passage, each a verbatim span of it (list markers dropped). Dots
 * inside words (lethain.com, v1.2) do not end a sentence.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split('\n')) {
    for (const piece of line.split(sentenceEnd)) {
      const sentence = piece.trim().replace(/^[-*•]\s+/, '');
      if (sentence) sentences.push(sentence);
    }
  }
  return sentences;
}
