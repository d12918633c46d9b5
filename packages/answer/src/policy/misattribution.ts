import { personaFrameworks } from '../persona-frameworks.js';
import { splitSentences } from './text-tools.js';

/** The authors Cairn draws on, as a leader names them ("Larson", "Lara Hogan's", "Jack Danger"). */
const authors = [
  { name: 'Will Larson', pattern: /\b(?:will\s+)?larson\b/gi },
  { name: 'Lara Hogan', pattern: /\b(?:lara\s+)?hogan\b/gi },
  { name: 'Jack Danger', pattern: /\bjack\s+danger\b/gi },
];

/**
 * Each framework by its own name, as a question would credit it: narrower than the persona's passage patterns
 * ("sponsor" alone is also Larson's staff sponsor, which is no misattribution).
 */
const frameworkNames: Record<string, RegExp> = {
  'Technical Coherence': /technical coherence/i,
  'Staff Archetypes': /\b(?:staff[- ]engineer |staff )?archetypes?\b/i,
  'Trunk and Branches': /trunk and branches/i,
  'Engineering Strategy': /engineering strateg(?:y|ies) (?:framework|model)|diagnosis, guiding polic/i,
  'Systems Thinking': /systems thinking/i,
  BICEPS: /\bbiceps\b/i,
  'Feedback Equation': /feedback equation/i,
  "Naming What's Happening": /naming what.?s happening/i,
  'Sponsorship vs Mentorship': /sponsorship (?:vs\.?|versus|and|or) mentorship|mentorship (?:vs\.?|versus|and|or) sponsorship/i,
};

/** How far (in characters) an author's name may stand from a framework's and still be what the sentence credits it to. */
const nearby = 60;

/**
 * A framework of the persona credited to the wrong one of its authors ("Lara Hogan's Staff Archetypes"), as the line
 * that corrects it, or undefined. Restating the wrong credit would be validating it; the spec asks Cairn to challenge
 * assumptions and be direct. Each framework takes the author named nearest to it in its sentence; one whose own
 * author is named near it is credited right, whoever else the sentence names.
 */
export function misattribution(question: string): string | undefined {
  const corrections: string[] = [];
  for (const sentence of splitSentences(question)) {
    const named = authors.flatMap((author) =>
      [...sentence.matchAll(author.pattern)].map((match) => ({ author: author.name, at: match.index ?? 0 })),
    );
    if (named.length === 0) continue;
    for (const framework of personaFrameworks) {
      const found = frameworkNames[framework.name]?.exec(sentence);
      if (!found) continue;
      const near = named
        .map((mention) => ({ ...mention, distance: Math.abs(mention.at - found.index) }))
        .filter((mention) => mention.distance <= nearby)
        .sort((a, b) => a.distance - b.distance);
      // "Will Larson's feedback equation": the possessive just before the framework is its credit, whoever else is near.
      const before = sentence.slice(Math.max(0, found.index - 40), found.index);
      const owner = authors.find((author) => new RegExp(`(?:${author.pattern.source})['’]s\\s+(?:[\\w-]+\\s+){0,2}$`, 'i').test(before));
      const credited = owner?.name ?? (near.some((mention) => mention.author === framework.author) ? framework.author : near[0]?.author);
      if (!credited || credited === framework.author) continue;
      const correction = `${framework.name} comes from ${framework.author}, not ${credited}.`;
      if (!corrections.includes(correction)) corrections.push(correction);
    }
  }
  return corrections.length > 0 ? `**A correction first:** ${corrections.join(' ')}` : undefined;
}
