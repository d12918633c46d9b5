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

/** The kinds of request the persona answers by rule, each with its own wording and outcome. */
export type ScopeKind = RefusalKind | 'decide_for_user' | 'off_topic';

/** The `outcome` of an answer to each kind (documented in the API schema). */
export const scopeOutcomes = {
  write_code: 'refused',
  review_code: 'refused',
  decide_for_user: 'declined_decision',
  off_topic: 'off_topic',
} as const satisfies Record<ScopeKind, string>;

/** A question that shows what Cairn is for, offered where it declines. */
export const exampleQuestion = 'My staff engineers keep getting pulled into every incident. How should I think about their role?';

/** What Cairn covers, in one line (the spec's topics). */
export const coveredTopics =
  'staff+ engineering, org design, technical quality, career development and promotions, hiring, engineering strategy, infrastructure, first 90 days in a role, feedback, difficult conversations, facilitation and developing people';

/** The persona's words for a request it answers by rule; `decide_for_user` opens an answer that goes on. */
export function refusalText(kind: ScopeKind): string {
  switch (kind) {
    case 'write_code':
      return [
        "I don't write code: I'm a thought partner for engineering leadership, grounded in Will Larson, Lara Hogan and Jack Danger, not a coding assistant.",
        '',
        'If the code is part of a leadership problem, I can help with that side: how to scope the work, who should own it, or how to make the case for it. What is the situation behind the request?',
      ].join('\n');
    case 'review_code':
      return [
        "I don't review code or pull requests: a reviewer who knows the codebase will do that far better than I can.",
        '',
        "What I can help with is the leadership side of review: the norms your team reviews by, how to raise technical quality without slowing delivery, or how to coach the engineer involved. What's going on?",
      ].join('\n');
    case 'decide_for_user':
      return "I won't make this call for you: you know the people and the context, and the decision is yours. What I can do is help you think it through.";
    case 'off_topic':
      return [
        `That is outside what I cover. I'm a thought partner for engineering leaders: ${coveredTopics}.`,
        '',
        `For example, you could ask: "${exampleQuestion}"`,
      ].join('\n');
  }
}
