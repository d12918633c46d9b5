import { applyFramework } from './apply-frameworks.js';
import { toSecondPerson } from './policy/second-person.js';
import type { AnswerPlan, ConversationContext, StatedFact } from './policy/types.js';

/** What the user told, said back in the second person ("your 40-person org", "Series B", "your tech lead"), oldest first, each once. */
function toldSoFar(context: ConversationContext): string[] {
  const sizes = context.sizes.map((fact) => ({
    ...fact,
    phrase: /^(?:a|an|the|my|our)\b/i.test(fact.phrase) ? fact.phrase : `my ${fact.phrase}`,
  }));
  const facts: StatedFact[] = [...sizes, ...(context.stage ? [context.stage] : []), ...context.constraints, ...context.people];
  const phrases = facts
    .sort((a, b) => a.turn - b.turn)
    .map((fact) => fact.phrase.trim().replace(/^(?:we have|we are|we're|i have|i'm|i am)\s+/i, ''))
    .filter((phrase) => phrase.length > 0 && phrase.split(/\s+/).length <= 6);
  return [...new Set(phrases.map((phrase) => toSecondPerson(phrase)))].slice(0, 4);
}

/** What was tried, as the user put it without "I tried" ("sending questions in advance"), when they said. */
function triedSoFar(context: ConversationContext): string | undefined {
  const tried = context.tried.filter((fact) => fact.kind === 'tried').at(-1);
  const what = tried?.phrase
    .trim()
    .match(/^(?:i|we)(?:'ve|\s+have|\s+had)?\s+(?:already\s+|also\s+)?(?:tried|attempted)\s+(.{3,60})$/i)?.[1];
  return what ? toSecondPerson(what) : undefined;
}

/** "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * A follow-up that the sources have nothing new for, answered in the light of the turns
 * before it instead of with "no support": what is known so far, said back; that the writing
 * quoted last time is all there is on it (rather than repeat it or stretch it); the next step
 * moved on from what was tried or suggested; and, where the plan asks nothing (its questions
 * never ask for what was told), the question that matters now, worded from what the user
 * tried where they said.
 */
export function carryConversationOn(plan: AnswerPlan): { lines: string[]; question: string | undefined } {
  const { context } = plan;
  const told = toldSoFar(context);
  const tried = triedSoFar(context);
  const lines: string[] = [];
  if (told.length > 0 || tried) {
    const known = [...told, ...(tried ? [`that you tried ${tried}`] : [])];
    lines.push(`**Where we are:** you've told me about ${listed(known)}.`);
  }
  lines.push(
    "The writing I draw on has nothing on this beyond what I've already quoted, so rather than repeat it or stretch it to fit, here is how I would move on.",
    '',
  );
  const steps: string[] = [];
  if (tried) {
    steps.push(
      `Treat what happened with ${tried} as evidence: what changed, what did not, and who noticed tells you which part of the problem is still open.`,
    );
  }
  const [framework] = plan.frameworks;
  if (framework) steps.push(applyFramework(framework.name, context));
  steps.push(
    context.earlierAnswers.length > 0
      ? 'Take the smallest piece of what we discussed that you could try in the next two weeks, decide up front what you would expect to see if it works, and check it then.'
      : 'Pick the smallest step you could try in the next two weeks, and decide up front what you would expect to see if it works.',
  );
  lines.push('**What I would do next**', ...steps.map((step) => `- ${step}`), '');
  const question =
    plan.clarifyingQuestions.length > 0
      ? undefined
      : tried
        ? `When you tried ${tried}, what did you see: did nothing change, or did something else get worse?`
        : 'Which part of what we discussed would be hardest to do in your situation, and why?';
  return { lines, question };
}
