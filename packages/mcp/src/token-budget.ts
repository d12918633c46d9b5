import { estimateTokens } from '@cairn/core';

/**
 * The smallest budget a call may ask for: below it not even one passage, or one section of
 * a page, fits with its citation and ids (JSON, as estimateTokens counts it, is costly).
 */
export const minimumTokens = 500;

/**
 * What a result holds besides its items, set aside from the budget before they are fitted:
 * its header line, the closing truncation note, and the structured form's other fields.
 */
export const overheadTokens = 120;

/**
 * What a result left out to stay within its budget, said plainly: null when nothing was
 * cut. Every result of the MCP server carries one, so that a client (and its model) knows
 * that it has not seen everything.
 */
export interface Truncation {
  /** The budget the result was held to, in tokens (estimated, on the high side). */
  maxTokens: number;
  /** How many items (passages, sections, citations' quotes, documents, ledger entries) were left out or cut. */
  omitted: number;
  /** What was cut, in words. */
  what: string;
  /** How to get the rest. */
  hint: string;
}

/** The budget of one call: what it asked for (`maxTokens`), held to the server's cap, or the cap. */
export function budgetFor(requested: number | undefined, cap: number): number {
  if (requested === undefined) return cap;
  return Math.max(minimumTokens, Math.min(Math.floor(requested), cap));
}

/** The tokens of what a client receives of a value: the larger of its text and its JSON (both representations are sent). */
export function tokensOf(text: string, value: unknown = undefined): number {
  return Math.max(estimateTokens(text), value === undefined ? 0 : estimateTokens(JSON.stringify(value)));
}

/**
 * The longest start of `text` within `maxTokens` (as `estimateTokens` counts, which errs
 * high), cut at a word boundary where there is one; `cut` says whether anything was left.
 */
export function cutText(text: string, maxTokens: number): { text: string; cut: boolean } {
  if (estimateTokens(text) <= maxTokens) return { text, cut: false };
  if (maxTokens <= 0) return { text: '', cut: text.length > 0 };
  // The longest prefix that fits, by bisection on its length (each estimate is linear).
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (estimateTokens(text.slice(0, middle)) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  const prefix = text.slice(0, low);
  const atWord = prefix.replace(/\s+\S*$/, '');
  return { text: (atWord.length > low / 2 ? atWord : prefix).trimEnd(), cut: true };
}

/**
 * Keeps the leading items whose costs add up within `budget`, in order, and stops at the
 * first that does not fit (so what is kept is a prefix: the best-ranked, or the nearest).
 */
export function fitWithin<T>(items: readonly T[], budget: number, cost: (item: T) => number): { kept: T[]; omitted: number } {
  const kept: T[] = [];
  let spent = 0;
  for (const item of items) {
    const itemCost = cost(item);
    if (spent + itemCost > budget) break;
    spent += itemCost;
    kept.push(item);
  }
  return { kept, omitted: items.length - kept.length };
}

/**
 * Builds a result to fit `budget`: `build(room)` fits its items within `room`, and the
 * whole (header, truncation note, structured fields around the items) is measured; while
 * either of its text and its JSON is over the budget, it is built again with less room.
 * A result that cannot shrink further (no room left) is returned as it is: still bounded,
 * by its fixed parts.
 */
export function withinBudget<Result extends { text: string; structured: unknown }>(
  budget: number,
  build: (room: number) => Result,
): Result {
  let room = budget - overheadTokens;
  let result = build(Math.max(0, room));
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const size = tokensOf(result.text, result.structured);
    if (size <= budget || room <= 0) return result;
    room -= size - budget + 16;
    result = build(Math.max(0, room));
  }
  return result;
}

/** The line that closes a truncated result's text. */
export function truncationLine(truncation: Truncation | null): string {
  return truncation ? `\n\n[Truncated to stay within ${truncation.maxTokens} tokens: ${truncation.what}. ${truncation.hint}]` : '';
}
