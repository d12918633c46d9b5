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

/** A person's full name as a question writes it ("Kim Scott", "Camille Fournier"): two capitalised words. */
const fullName = String.raw`[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+(?:(?:de|van|von|da|del|le)\s+)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?`;
const someoneNamed = new RegExp(`\\b${fullName}\\b`);
/** "Kim Scott's BICEPS": a possessive full name at most two words before the framework's name. */
const possessiveName = new RegExp(`\\b(${fullName})['’]s\\s+(?:[\\w-]+\\s+){0,2}$`);
/** "the BICEPS model by Kim Scott", "Trunk and Branches from Camille Fournier". */
const byName = new RegExp(`^(?:\\s+(?:model|framework|method|idea|concept|approach))?\\s+(?:by|from)\\s+(${fullName})\\b`);

/**
 * Someone other than the three authors credited with a framework in a sentence that names none of
 * them near it ("Kim Scott's BICEPS", "the feedback equation from Camille Fournier"), or undefined.
 */
function otherCredit(sentence: string, found: RegExpExecArray): string | undefined {
  const before = sentence.slice(Math.max(0, found.index - 60), found.index);
  const after = sentence.slice(found.index + found[0].length, found.index + found[0].length + 60);
  const name = possessiveName.exec(before)?.[1] ?? byName.exec(after)?.[1];
  if (!name || authors.some((author) => new RegExp(author.pattern.source, 'i').test(name))) return undefined;
  return name.replace(/\s+/g, ' ');
}

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
    if (named.length === 0 && !someoneNamed.test(sentence)) continue;
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
      const credited =
        owner?.name ??
        (near.some((mention) => mention.author === framework.author)
          ? framework.author
          : (near[0]?.author ?? otherCredit(sentence, found)));
      if (!credited || credited === framework.author) continue;
      const correction = `${framework.name} comes from ${framework.author}, not ${credited}.`;
      if (!corrections.includes(correction)) corrections.push(correction);
    }
  }
  return corrections.length > 0 ? `**A correction first:** ${corrections.join(' ')}` : undefined;
}

/** Asking whose a framework is: "who came up with BICEPS?", "is that also his?", "is the feedback equation Larson's too?". */
const asksWhose =
  /\b(?:who (?:came up with|created|coined|wrote|invented|developed|introduced|is behind|made)|whose (?:is|framework|idea|model)|where does [^?]{1,60} come from|(?:is|was) (?:that|this|it|[^?]{1,40}) (?:also |too )?(?:his|hers|her|theirs|their|larson'?s|hogan'?s|danger'?s|(?:will|lara|jack)'?s)(?: (?:too|as well|idea|framework))?\s*\?)/i;

/**
 * The line that answers whose a framework is, when a question asks it and credits no one wrongly
 * ("And BICEPS: is that also his?"), or undefined: the answer is a fact Cairn has, stated first.
 */
export function authorshipAnswer(question: string): string | undefined {
  if (!asksWhose.test(question)) return undefined;
  const named = personaFrameworks.filter((framework) => frameworkNames[framework.name]?.test(question));
  if (named.length === 0) return undefined;
  const facts = named.map((framework) => `${framework.name} is ${framework.author}'s.`);
  return `**Where it comes from:** ${facts.join(' ')}`;
}
