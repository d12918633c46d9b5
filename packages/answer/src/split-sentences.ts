const sentencePattern = /[^.!?\n]+(?:[.!?]+["')\]]*|(?=\n)|$)/g;

/** The sentences of a passage, each a verbatim span of it (list markers dropped). */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const match of text.matchAll(sentencePattern)) {
    const sentence = match[0].trim().replace(/^[-*•]\s+/, '');
    if (sentence) sentences.push(sentence);
  }
  return sentences;
}
