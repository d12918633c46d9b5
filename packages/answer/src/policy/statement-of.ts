// A statement of the user's, said back in the second person without endorsing a claim the persona challenges.
import { toSecondPerson } from './second-person.js';
import { auxiliaries, baseVerbs, hasFiniteVerb, lowerFirst, plain } from './text-tools.js';
import { recogniseAssumptions } from './recognise-assumptions.js';
import { emptyContext } from './read-context.js';

/** Assumptions a summary reports as the user's view, never as a fact Cairn states. */
const viewKinds = new Set(['hire_more', 'velocity_slow', 'rewrite', 'reorg_fixes', 'arbitrary_ratio', 'individual_metrics']);

/** A statement that already reports a view, the user's or someone else's ("your CEO says…", "you're leaning towards…"). */
const reportsView =
  /^you(?:'re| are) (?:leaning|thinking|considering|planning|tempted|inclined|convinced|sure|not sure)\b|^you (?:think|believe|feel|say|suspect|want|plan|wonder)\b|\b(?:says?|said|saying|insists?|insisting|claims?|claiming|thinks?|believes?|argues?|arguing|keeps? telling)\b/i;

/** "New CTO here", "EM here (series B)": the user's role, said without a subject. */
const roleHere =
  /^(?:(?:a |the )?(?:new|newly promoted|first-time|recently promoted) )?(?:cto|vp(?: of)?(?: eng(?:ineering)?)?|vpe|director(?: of engineering)?|engineering manager|em|eng manager|manager|tech lead|team lead|staff engineer|principal engineer|head of engineering|founder)\b(?: here\b)?/i;

/** A participle or gerund opening a statement with no subject: "Starting as VP Eng…", "Just got promoted…". */
function withSubject(statement: string): string {
  if (roleHere.test(statement) && !hasFiniteVerb(statement))
    return `you're a ${statement.replace(/^(?:a|the)\s+/i, '').replace(/\s+here\b/i, '')}`;
  const words = statement.split(/\s+/);
  const adverb = /^(?:just|recently|finally|also|still)$/i.test(words[0] ?? '') ? 1 : 0;
  const first = (words[adverb] ?? '').toLowerCase();
  const second = (words[adverb + 1] ?? '').toLowerCase();
  const base = first.replace(/ing$/, '');
  const isGerund =
    /ing$/.test(first) &&
    (baseVerbs.has(base) || baseVerbs.has(`${base}e`) || baseVerbs.has(base.slice(0, -1))) &&
    !auxiliaries.has(second);
  if (adverb === 0 && isGerund) return `you're ${statement.charAt(0).toLowerCase()}${statement.slice(1)}`;
  if (first === 'been') return `you've ${lowerFirst(statement)}`;
  if (
    /^(?:not sure|not convinced|unsure|stuck|worried|tired|confused)$/.test(`${first} ${second}`.trim()) ||
    /^(?:unsure|stuck|worried|confused)$/.test(first)
  )
    return `you're ${statement.charAt(0).toLowerCase()}${statement.slice(1)}`;
  if (/^(?:don't|can't|won't|didn't|need|want|have|feel|hope|wonder|worry|think|keep)$/.test(first) && adverb === 0)
    return `you ${statement.charAt(0).toLowerCase()}${statement.slice(1)}`;
  if (/^(?:got|became|joined|started|inherited|took|moved|switched|landed)$/.test(first)) return `you ${lowerFirst(statement)}`;
  return statement;
}

/**
 * A statement of the user's, in the second person and without its closing stop. A claim
 * the persona challenges stays the user's ("You think you need to hire…", "You say velocity
 * is slow…"), so the summary never endorses it; a fragment with no verb ("team too slow")
 * is quoted as the user put it rather than made into a broken sentence.
 */
export function statementOf(sentence: string): string {
  const cleaned = sentence.replace(
    /^(?:(?:hi|hello|hey|thanks|thank you|actually|ok|okay|so|also|well|right|honestly|basically|fine)\b[,!.]*\s*)+/i,
    '',
  );
  if (
    !hasFiniteVerb(cleaned) &&
    !/^(?:just |recently )?(?:starting|moving|taking|joining|managing|leading|running)\b/i.test(cleaned) &&
    !roleHere.test(cleaned)
  ) {
    const fragment = plain(cleaned).replace(/[\s.!;:,]+$/, '');
    return fragment ? `you put it as "${lowerFirst(fragment)}"` : '';
  }
  const statement = withSubject(
    toSecondPerson(cleaned)
      .replace(/[\s.!;:,]+$/, '')
      .trim(),
  );
  if (!statement || !recogniseAssumptions(sentence, emptyContext()).some((assumption) => viewKinds.has(assumption.kind))) return statement;
  if (/^you (?:need|have to|must|should|ought to|'ll have to|will have to)\b/i.test(statement)) return `you think ${lowerFirst(statement)}`;
  if (reportsView.test(statement)) return statement;
  return `you say that ${lowerFirst(statement)}`;
}
