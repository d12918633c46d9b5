const swaps: Record<string, string> = {
  i: 'you',
  "i'm": "you're",
  "i've": "you've",
  "i'd": "you'd",
  "i'll": "you'll",
  me: 'you',
  my: 'your',
  mine: 'yours',
  myself: 'yourself',
  am: 'are',
  we: 'you',
  "we're": "you're",
  "we've": "you've",
  us: 'you',
  our: 'your',
  ours: 'yours',
  ourselves: 'yourselves',
};

const interrogative =
  /^(how|what|why|when|where|which|who|whom|whether|should|can|could|would|will|do|does|did|is|are|was|were|has|have)\b/i;

/**
 * The one line that says what the persona understood was asked: the question in the
 * second person ("How should I size my team?" → "you're asking how should you size your team").
 */
export function restateQuestion(question: string): string {
  const firstSentence = question.trim().replace(/\s+/g, ' ');
  const swapped = firstSentence.replace(/[?!.\s]+$/, '').replace(/[A-Za-z']+/g, (word) => {
    const replacement = swaps[word.toLowerCase().replace(/’/g, "'")];
    return replacement ?? word;
  });
  const lowered = swapped.charAt(0).toLowerCase() + swapped.slice(1);
  const keepCase = /^[A-Z]{2,}/.test(swapped) ? swapped : lowered;
  return interrogative.test(swapped) ? `you're asking ${keepCase}.` : `you're asking about this: ${keepCase}.`;
}
