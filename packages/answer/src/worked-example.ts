/**
 * "Can you give me an example?", "What do I actually say?": the persona uses concrete examples, and a
 * framework named again is no example. For the frameworks that are said out loud (the Feedback Equation,
 * Naming What's Happening), the words, filled in with the behaviour the user described and left open
 * (in brackets) where only they know it.
 */
import type { FrameworkName } from './policy/types.js';

/** Asking for an example or for the words to use. */
export const asksForWords =
  /\b(?:(?:give|show|walk) me (?:an? |some )?(?:concrete |specific |quick |real |worked )?examples?|(?:need|want|like|see) an example (?:of|for)|for example\s*\?|what (?:do|would|should|could|might) i (?:actually |even |literally )?say|what (?:would|should|do) i tell (?:him|her|them)|how (?:do|would|should|could) i (?:word|phrase|say|put) (?:it|this|that)|what words (?:do|would|should) i use|(?:the|some|exact) words to use|sample (?:wording|script))\b/i;

/** Third-person verb forms to the second person: "keeps" → "keep", "misses" → "miss", "is" → "are". */
const irregular: Record<string, string> = {
  is: 'are',
  was: 'were',
  has: 'have',
  does: 'do',
  "doesn't": "don't",
  "isn't": "aren't",
  "wasn't": "weren't",
  "hasn't": "haven't",
};
function secondPersonVerb(verb: string): string {
  const lower = verb.toLowerCase();
  if (irregular[lower]) return irregular[lower]!;
  if (/(?:ss|sh|ch|x|z|o)es$/.test(lower)) return lower.slice(0, -2);
  if (/[^aeiou]ies$/.test(lower)) return `${lower.slice(0, -3)}y`;
  if (/[^s]s$/.test(lower)) return lower.slice(0, -1);
  return lower;
}
const possessives: Record<string, string> = {
  his: 'your',
  her: 'your',
  their: 'your',
  himself: 'yourself',
  herself: 'yourself',
  themselves: 'yourself',
};

/** Adverbs that may stand before the verb: "who always interrupts", "who keeps missing". */
const adverb = String.raw`(?:(?:always|never|constantly|repeatedly|often|still|regularly|sometimes|usually|just) )?`;
/** A behaviour told of someone: "an engineer who keeps missing standups", "my tech lead keeps interrupting people". */
const behaviourPatterns = [
  new RegExp(String.raw`\b(?:who|that)\s+(${adverb})([a-z']+(?:s|es))\b([^.?!,;:]{2,80})`, 'i'),
  new RegExp(
    String.raw`\b(?:he|she|they|engineer|report|lead|manager|dev|developer|colleague|peer|teammate)\s+(${adverb})(keeps|kept)\b([^.?!,;:]{2,80})`,
    'i',
  ),
];

/** The behaviour the user described, said to the person: "you keep missing standups"; undefined when none is told. */
export function behaviourOf(text: string): string | undefined {
  for (const pattern of behaviourPatterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [, before = '', verb = '', rest = ''] = match;
    const base = verb.toLowerCase() === 'kept' ? 'kept' : secondPersonVerb(verb);
    const object = rest
      .trim()
      .replace(/\b(his|her|their|himself|herself|themselves)\b/gi, (word) => possessives[word.toLowerCase()] ?? word)
      .replace(/\s+(?:and|but|so|because|which|when|in)\s*$/i, '');
    if (!object || /\b(?:i|me|my|we|our)\b/i.test(object)) continue;
    return `you ${before}${base} ${object}`.replace(/\s+/g, ' ').trim();
  }
  return undefined;
}

/**
 * The worked example for a framework said out loud, in the user's situation, or undefined (another framework, or no
 * behaviour to fill it with where it needs one).
 */
export function workedExample(framework: FrameworkName, said: readonly string[]): string | undefined {
  if (framework === 'Feedback Equation') {
    const behaviour = said.map(behaviourOf).find((found) => found !== undefined);
    if (!behaviour) return undefined;
    return `"I've noticed ${behaviour} [when: the dates, how often]. When that happens, [the impact: who waited, what slipped, what it cost the team]. What's getting in the way?" Keep the observation to what anyone in the room would have seen, and the impact to what it cost, not to what it says about them; then listen.`;
  }
  if (framework === "Naming What's Happening")
    return `"I'm noticing we've come back to this point [three times] and the tone is getting sharper, and I'm feeling it too. Can we name what's going on before we decide anything?" Say what you see and what you feel, not who is to blame; then let the room answer.`;
  return undefined;
}

/** A conversation about people at odds in a room: the words to say there are Naming What's Happening's. */
const tensionInTheRoom =
  /\b(?:fight\w*|argu\w*|tension|tense|heated|clash\w*|conflict|getting personal|blow(?:s|ing)? up|snap\w*|shouting|talk(?:s|ing)? over|steamroll\w*|derail\w*|starts? up again)\b/i;

/** The frameworks whose words an example gives: those the answer names, and Naming What's Happening for a tense room. */
export function exampleFrameworks(named: readonly FrameworkName[], said: readonly string[]): FrameworkName[] {
  const names = new Set(named);
  if (said.some((text) => tensionInTheRoom.test(text))) names.add("Naming What's Happening");
  return [...names];
}
