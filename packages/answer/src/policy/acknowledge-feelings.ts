/**
 * A user who says how shaken they are ("I'm honestly shaking and I don't know if I can do this job")
 * is answered as a person first: a line that hears it, before any advice. The persona's topics
 * include managing your own emotions, and Naming What's Happening "works for your own emotions too".
 * Someone who may be thinking of ending their life is not this: see outside-expertise.ts (crisisOf).
 */

/** The user's own strong feeling, said of themselves (not of a report: "she's exhausted" is the situation). */
const ownFeeling = new RegExp(
  [
    String.raw`\bi(?:'m| am|'ve been| have been| feel| felt| was)(?: (?:so|really|honestly|completely|totally|just|a bit|pretty|very|kind of|still|always))* (?:shaking|shaken|rattled|exhausted|drained|overwhelmed|burn(?:ed|t) out|burning out|drowning|furious|livid|devastated|heartbroken|crushed|gutted|panicking|terrified|scared|humiliated|miserable|in tears|at my wits'? end|at breaking point|falling apart|a wreck|a mess|defeated|hopeless)\b`,
    String.raw`\bi (?:cried|was crying|can'?t stop crying|can'?t sleep|haven'?t slept|feel like (?:a )?(?:failure|fraud|imposter|impostor))\b`,
    String.raw`\bi (?:don'?t|do not) know (?:if|whether) i can (?:do|keep doing|handle|take) (?:this|it|the job|this job|much more)\b`,
  ].join('|'),
  'i',
);

/** The line that hears how the user feels, or undefined when they said nothing of it. */
export function acknowledgement(question: string): string | undefined {
  if (!ownFeeling.test(question)) return undefined;
  return "**First, how you're doing:** that sounds hard, and it's a normal reaction. Give yourself a moment before you act: naming to yourself what you're feeling (Lara Hogan's Naming What's Happening works for your own emotions too) makes the next step easier to choose.";
}
