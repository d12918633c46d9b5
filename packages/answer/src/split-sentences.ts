/** A sentence ends at . ! or ? (with closing quotes or brackets) followed by white space or the end. */
const sentenceEnd = /((?<=[.!?]["')\]]*)\s+)/;

/** Abbreviations whose dot ends no sentence ("(e.g. adopting…", "Dr. Hogan", "J. Doe"). */
export const abbreviationEnd = /(?:^|[\s([])(?:e\.g|i\.e|vs|cf|approx|incl|esp|Mr|Mrs|Ms|Dr|Prof|Jr|Sr|St|[A-Z])\.$/;

/**
 * The sentences of a passage, each a verbatim span of it (list markers dropped). Dots
 * inside words (lethain.com, v1.2), after an abbreviation ("e.g.", "Dr.") or before a
 * word in lower case do not end a sentence.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split(sentenceEnd);
    // parts alternate: text, separator, text, …; a piece that does not end a sentence takes the next with its separator.
    let current = parts[0] ?? '';
    for (let index = 1; index < parts.length; index += 2) {
      const separator = parts[index]!;
      const next = parts[index + 1] ?? '';
      // Before a word in lower case only after a full stop, or a question or exclamation inside quotes ('the question
      // "how do we measure it?" eventually comes up'): a bare "?" ends a sentence ("…at Google?" then "on Quora").
      if (abbreviationEnd.test(current) || (/^[a-z]/.test(next) && /(?:\.|[.!?]["'”’)\]]+)$/.test(current))) current += separator + next;
      else {
        pushSentence(sentences, current);
        current = next;
      }
    }
    pushSentence(sentences, current);
  }
  return sentences;
}

function pushSentence(sentences: string[], piece: string): void {
  const sentence = piece.trim().replace(/^[-*•]\s+/, '');
  if (sentence) sentences.push(sentence);
}
