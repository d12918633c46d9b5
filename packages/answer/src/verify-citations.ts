import type { RetrievedPassage } from '@cairn/core';
import { analyzeText } from '@cairn/text';
import { citationFor, type Citation } from './citation.js';
import { citationMarkerPattern, citationMarkerWithSpaceBeforePattern } from './citation-marker.js';
import { AnswerGuard, answerSegments, type SanitizedPart } from './sanitize-answer.js';
import { splitSentences } from './split-sentences.js';

/** Why a marker was taken out of an answer. */
export type RemovedMarkerReason = 'out_of_range' | 'unsupported' | 'fabricated_quote';

export interface VerifiedAnswer {
  /** The answer with only the markers that hold, renumbered 1, 2, … in order of first use. */
  text: string;
  /** One per passage still cited, numbered as in `text`, each with a verbatim quote of the passage. */
  citations: Citation[];
  /** The markers taken out, and why. */
  removed: { marker: number; sentence: string; reason: RemovedMarkerReason }[];
  /** Images, HTML, links to what the answer does not cite, and sentences repeating the system prompt, taken out. */
  sanitized: SanitizedPart[];
}

export interface VerifyOptions {
  /** The system prompt the model was given: a sentence repeating a run of it is dropped. */
  systemPrompt?: string | undefined;
}

/** A sentence's end (`.`, `!` or `?`, group 1), then one or more citation markers after spaces or tabs only (group 2). */
const markersAfterSentenceEnd = new RegExp(String.raw`([.!?])((?:[ \t]*${citationMarkerPattern.source})+)`, 'g');
/** A quotation in the model's words, long enough to be a claim about the source. */
const quotationPattern = /["“]([^"“”]{12,})["”]/g;

/**
 * A sentence of a passage that speaks to the model rather than the reader (a prompt
 * injection): orders to drop its rules, to reveal its prompt or to play another part.
 */
const instructionLike = new RegExp(
  [
    String.raw`\b(ignore|disregard|forget|override)\b[^.!?]{0,60}\b(instructions?|prompts?|rules|guidelines)\b`,
    String.raw`\bsystem (prompt|message|instructions?|override)\b`,
    String.raw`\b(reveal|repeat|print|output)\b[^.!?]{0,60}\b(prompt|instructions|rules)\b`,
    // "You are now one of the people who…" is prose: only a new part or mode is an order.
    String.raw`\byou are now (in \w+ mode|dan|free|no longer|unrestricted|jailbroken|an? (ai|assistant|chatbot|language model|llm))\b`,
    String.raw`\bas an ai\b|\bfrom now on,? you\b|\bpretend (you are|to be)\b|\bstay in character\b`,
    String.raw`\bdeveloper mode\b|\bdo anything now\b|\bnew instructions\b`,
    String.raw`\b(ai|llm) (assistants?|agents?|models?)\b[^.!?]{0,60}\b(must|should)\b`,
  ].join('|'),
  'i',
);

/**
 * Whether a sentence is addressed to a model rather than a reader. Fullwidth letters are
 * folded and invisible characters dropped first, since both hide the words from a pattern.
 */
export function isInstructionLike(sentence: string): boolean {
  return instructionLike.test(sentence.normalize('NFKC').replace(/\p{Cf}/gu, ''));
}

/** The passage's text without sentences addressed to the model: they back no claim and are never quoted. */
function readerText(passage: RetrievedPassage): string[] {
  return splitSentences(passage.text).filter((sentence) => !isInstructionLike(sentence));
}

/** A share of the sentence's content terms that the passage must contain to back it. */
const minimumSupport = 0.4;

function normalizeForQuote(text: string): string {
  return text.toLowerCase().replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim();
}

/** How much of `claim` (its content terms) `passageTerms` contains: shared terms and their share. */
function support(claimTerms: readonly string[], passageTerms: ReadonlySet<string>): { shared: number; share: number } {
  const unique = new Set(claimTerms);
  if (unique.size === 0) return { shared: 0, share: 0 };
  let shared = 0;
  for (const term of unique) if (passageTerms.has(term)) shared += 1;
  return { shared, share: shared / unique.size };
}

/**
 * Whether a passage backs a sentence: most of the sentence's content terms appear in it
 * (at least two, or all of a shorter sentence's). A lexical test: it lets a paraphrase
 * through and stops a marker on a sentence that speaks of something else.
 */
function supports(claimTerms: readonly string[], passageTerms: ReadonlySet<string>): boolean {
  const { shared, share } = support(claimTerms, passageTerms);
  const needed = Math.min(2, new Set(claimTerms).size);
  return shared >= needed && needed > 0 && share >= minimumSupport;
}

/** The passage's sentence that best backs the claims citing it: a verbatim span of the passage. */
function bestQuote(passage: RetrievedPassage, claims: readonly string[]): string {
  const claimTerms = claims.flatMap((claim) => analyzeText(claim));
  let best = { sentence: '', shared: -1 };
  for (const sentence of readerText(passage)) {
    const { shared } = support(claimTerms, new Set(analyzeText(sentence)));
    if (shared > best.shared && passage.text.includes(sentence)) best = { sentence, shared };
  }
  return best.sentence || (readerText(passage)[0] ?? passage.text.slice(0, 200));
}

/**
 * Moves markers written after a sentence's full stop ("… clear. [1]") in front of it
 * ("… clear [1]."), so that each marker belongs to the sentence it follows.
 */
function attachMarkers(text: string): string {
  return text.replace(markersAfterSentenceEnd, '$2$1');
}

/**
 * Checks every `[n]` of a model's answer against the passages it was given (`passages[i]`
 * is `[i + 1]`): a marker outside them is removed, and so is one on a sentence the
 * passage does not back, or on a sentence whose quotation the passage does not contain.
 * The markers that hold are renumbered in order of first use, and each cited passage gets
 * a citation whose quote is the passage's sentence that best backs what cites it.
 *
 * The text is made safe to render as it is checked (see `AnswerGuard`): a sentence that
 * repeats the system prompt is dropped, and images, HTML, and links or addresses other than
 * the passages cited so far are taken out, whatever a passage told the model to write.
 */
export function verifyCitations(answer: string, passages: readonly RetrievedPassage[], options: VerifyOptions = {}): VerifiedAnswer {
  const verifier = new CitationVerifier(passages, options);
  const text = verifier.verify(answer);
  return { text, ...verifier.result() };
}

/**
 * verifyCitations over a stream: `push` each piece of the model's answer and emit what it
 * returns, the verified text of every sentence that is complete (a sentence is complete
 * once the next one has begun, so that a marker written after its full stop still counts
 * for it); `end` returns the rest. The text and citations equal verifyCitations' of the
 * whole answer, numbering included (markers are renumbered in order of first use).
 */
export class CitationStream {
  private readonly verifier: CitationVerifier;
  private pending = '';

  constructor(passages: readonly RetrievedPassage[], options: VerifyOptions = {}) {
    this.verifier = new CitationVerifier(passages, options);
  }

  push(piece: string): string {
    this.pending += piece;
    // The end of the last complete sentence: a terminator, then space, then the next sentence's first character.
    const boundary = /[.!?]["')\]*_]*[ \t]+(?=[^\s[])|\n+(?=\S)/g;
    let cut = -1;
    for (const match of this.pending.matchAll(boundary)) cut = match.index + match[0].length;
    if (cut <= 0) return '';
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.verifier.verify(ready);
  }

  end(): { text: string } & Omit<VerifiedAnswer, 'text'> {
    const text = this.verifier.verify(this.pending);
    this.pending = '';
    return { text, ...this.verifier.result() };
  }
}

/** The verification state of one answer: the markers kept so far, their numbers and claims. */
class CitationVerifier {
  private readonly passageTerms: Set<string>[];
  private readonly removed: VerifiedAnswer['removed'] = [];
  private readonly renumbered = new Map<number, number>();
  private readonly claimsOf = new Map<number, string[]>();
  private readonly guard: AnswerGuard;

  constructor(
    private readonly passages: readonly RetrievedPassage[],
    options: VerifyOptions = {},
  ) {
    this.passageTerms = passages.map((passage) => new Set(analyzeText(`${passage.heading} ${readerText(passage).join(' ')}`)));
    this.guard = new AnswerGuard({ systemPrompt: options.systemPrompt, sourceTexts: passages.map((passage) => passage.text) });
  }

  /**
   * The verified text of `text`, a run of whole sentences following those verified before:
   * each sentence that may be shown has its markers checked, then is cleaned, linking
   * only passages cited so far (the same whether the answer arrives whole or in pieces).
   */
  verify(text: string): string {
    return answerSegments(attachMarkers(text))
      .map((segment) => {
        if (!this.guard.admits(segment)) return '';
        const checked = segment.includes('[') ? this.checkMarkers(segment) : segment;
        return this.guard.clean(
          checked,
          [...this.renumbered.keys()].map((marker) => this.passages[marker - 1]!.url),
        );
      })
      .join('');
  }

  /** The sentence with only the markers that hold, renumbered; the kept ones are recorded with their claims. */
  private checkMarkers(segment: string): string {
    const { passages, passageTerms, removed, renumbered, claimsOf } = this;
    const claim = segment.replace(citationMarkerWithSpaceBeforePattern, '').trim();
    const claimTerms = analyzeText(claim);
    const quotations = [...claim.matchAll(quotationPattern)].map((match) => normalizeForQuote(match[1]!));
    return segment.replace(citationMarkerWithSpaceBeforePattern, (whole: string, list: string) => {
      const kept: number[] = [];
      for (const marker of list.split(',').map((number) => Number(number.trim()))) {
        const passage = passages[marker - 1];
        let reason: RemovedMarkerReason | undefined;
        if (!passage || !Number.isInteger(marker) || marker < 1) reason = 'out_of_range';
        else if (quotations.some((quotation) => !normalizeForQuote(passage.text).includes(quotation))) reason = 'fabricated_quote';
        else if (!supports(claimTerms, passageTerms[marker - 1]!)) reason = 'unsupported';
        if (reason) {
          removed.push({ marker, sentence: claim, reason });
          continue;
        }
        if (!renumbered.has(marker)) renumbered.set(marker, renumbered.size + 1);
        claimsOf.set(marker, [...(claimsOf.get(marker) ?? []), claim]);
        if (!kept.includes(renumbered.get(marker)!)) kept.push(renumbered.get(marker)!);
      }
      return kept.length > 0 ? `${whole.match(/^\s*/)![0]}${kept.map((n) => `[${n}]`).join('')}` : '';
    });
  }

  result(): Omit<VerifiedAnswer, 'text'> {
    const citations = [...this.renumbered].map(([marker, n]) => {
      const passage = this.passages[marker - 1]!;
      return citationFor(passage, n, bestQuote(passage, this.claimsOf.get(marker) ?? []));
    });
    return { citations, removed: [...this.removed], sanitized: this.guard.removed };
  }
}
