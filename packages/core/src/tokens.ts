const tokenPattern = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

/**
 * Estimates the number of model tokens in a text without a tokenizer: one token per
 * punctuation mark and one per six letters of each word (rounded up). It runs in linear
 * time (the chunker calls it on every piece) and errs on the high side of cl100k for
 * English prose, so budgets computed with it hold for the real tokenizer.
 */
export function estimateTokens(text: string): number {
  let count = 0;
  for (const match of text.matchAll(tokenPattern)) {
    const length = match[0].length;
    count += length <= 6 ? 1 : Math.ceil(length / 6);
  }
  return count;
}
