import { CairnError } from './errors.js';
import { findInvalidText } from './invalid-character.js';

/**
 * Characters as a person counts them, in code points: an emoji is one character, where
 * JavaScript's `length` counts the two UTF-16 units it is stored in. The documented limits
 * on questions and queries count this way (as the API's schemas do).
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _character of text) count += 1;
  return count;
}

/** The longest search query, in characters (REST, MCP and `cairn search` alike). */
export const maxQueryChars = 2000;

/** Whether a text is blank: white space and invisible characters (zero-width spaces and joiners, a word joiner, a BOM, a soft hyphen) alone. */
export function isBlank(text: string): boolean {
  return !text.replace(/[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g, '').trim();
}

/** Checks a search query against the documented limits; returns it trimmed (`query_empty`, `query_too_long`). */
export function validSearchQuery(query: string, maxChars = maxQueryChars): string {
  const trimmed = query.trim();
  // Invisible characters alone are no words either.
  if (isBlank(trimmed)) throw new CairnError('query_empty', 'The query is empty; send some words to search for.');
  const characters = characterCount(trimmed);
  if (characters > maxChars) throw new CairnError('query_too_long', `The query has ${characters} characters; the limit is ${maxChars}.`);
  return trimmed;
}

/**
 * Refuses text that holds a NUL, a lone surrogate or a bidirectional control (`invalid_text`),
 * wherever it comes from: the API's bodies, the MCP server's arguments, the CLI's arguments.
 */
export function refuseInvalidText(value: unknown, root: string): void {
  const invalid = findInvalidText(value, root);
  if (!invalid) return;
  const { where, found } = invalid;
  throw new CairnError(
    'invalid_text',
    `${where} holds ${found.kind} (${found.codePoint}) at index ${found.index}: text takes no NUL, lone surrogates or bidirectional controls (U+202A–U+202E, U+2066–U+2069); remove it.`,
  );
}
