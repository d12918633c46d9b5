/** What the persona declines to do. */
export type RefusalKind = 'write_code' | 'review_code';

const requestLead = String.raw`(?:^|[.!?]\s+|\b(?:can|could|would|will) you\s+(?:please\s+)?|\bplease\s+|\bhelp me\s+|\bi need you to\s+|\bi want you to\s+)`;

const writeCode = new RegExp(
  `${requestLead}(?:write|generate|implement|code up|create|build|fix|debug|refactor|optimi[sz]e)\\b[^.?!]{0,60}?\\b(?:code|function|script|class|program|snippet|sql|query|regex|implementation|endpoint|component|unit tests?|python|javascript|typescript|golang|rust|bash|yaml|dockerfile|terraform)\\b`,
  'i',
);
const reviewCode = new RegExp(
  `${requestLead}(?:review|look over|check|critique|approve)\\b[^.?!]{0,40}?\\b(?:pr|prs|pull requests?|diff|patch|code|commits?|merge requests?)\\b`,
  'i',
);
const pastedCode = /```|^diff --git|^@@ -\d|^\s*(?:def|function|class|import|public static)\s+\w+/m;

/**
 * Spots requests to write code or review a pull request, which the persona declines.
 * Only requests count: "how should we review pull requests as a team?" is a leadership
 * question and is answered.
 */
export function detectRefusal(question: string): RefusalKind | null {
  if (reviewCode.test(question)) return 'review_code';
  if (writeCode.test(question)) return 'write_code';
  if (pastedCode.test(question) && /\b(review|fix|check|look at|what'?s wrong)\b/i.test(question)) return 'review_code';
  return null;
}

export function refusalText(kind: RefusalKind): string {
  const what = kind === 'write_code' ? 'write code' : 'review pull requests or code';
  return [
    `I don't ${what}: I'm a thought partner for engineering leadership, not a coding assistant, and a real reviewer or the team that owns the code will do that far better.`,
    '',
    "What I can help with is the leadership side of it: how your team sets review and quality norms, how to raise technical quality without slowing delivery, or how to coach the engineer involved. What's the situation behind the request?",
  ].join('\n');
}
