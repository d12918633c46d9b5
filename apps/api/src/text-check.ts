import fp from 'fastify-plugin';
import { CairnError } from '@cairn/core';

/**
 * Characters no text of a request may hold: NUL (Postgres text cannot store it), a lone
 * surrogate (not Unicode; it would be stored as U+FFFD), and the bidirectional embeddings,
 * overrides and isolates that make text display other than it reads (ingestion takes the
 * same ones out of pages). Right-to-left text needs none of them; U+200E and U+200F pass.
 */
// eslint-disable-next-line no-control-regex -- NUL is one of the characters it looks for
const invalidCharacter = /\u0000|[\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface InvalidCharacter {
  /** The character's code point, as `U+0000`. */
  codePoint: string;
  /** What it is, in words. */
  kind: 'a NUL' | 'a lone surrogate' | 'a bidirectional control';
  /** Its 0-based index in the text, in UTF-16 code units. */
  index: number;
}

/** The first character of `text` that no text field takes, if any. */
export function findInvalidCharacter(text: string): InvalidCharacter | undefined {
  const match = invalidCharacter.exec(text);
  if (!match) return undefined;
  const unit = match[0].charCodeAt(0);
  const codePoint = `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
  const kind = unit === 0 ? 'a NUL' : unit >= 0xd800 && unit <= 0xdfff ? 'a lone surrogate' : 'a bidirectional control';
  return { codePoint, kind, index: match.index };
}

/**
 * Walks a parsed body, query or path parameters (iteratively: a deeply nested body must not
 * overflow the stack) and returns where the first invalid character is, with what it is.
 */
function findInText(value: unknown, root: string): { where: string; found: InvalidCharacter } | undefined {
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length > 0) {
    const [current, where] = pending.pop()!;
    if (typeof current === 'string') {
      const found = findInvalidCharacter(current);
      if (found) return { where, found };
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index -= 1) pending.push([current[index], `${where}.${index}`]);
    } else if (typeof current === 'object' && current !== null) {
      for (const [name, item] of Object.entries(current).reverse()) {
        const found = findInvalidCharacter(name);
        if (found) return { where: `a property name of ${where}`, found };
        pending.push([item, `${where}.${name}`]);
      }
    }
  }
  return undefined;
}

/**
 * One policy for the text of every route, before its schema is checked: a string of the
 * body (a property name included), a query value or a path parameter that holds NUL, a
 * lone surrogate or a bidirectional control is refused with 400 `invalid_text`, free text
 * (questions, comments, chat messages) as much as names, ids and URLs. Nothing is cleaned
 * silently, so what is stored is what was sent.
 */
export const textCheckPlugin = fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      for (const [part, value] of [
        ['params', request.params],
        ['querystring', request.query],
        ['body', request.body],
      ] as const) {
        const invalid = findInText(value, part);
        if (invalid) {
          const { where, found } = invalid;
          throw new CairnError(
            'invalid_text',
            `${where} holds ${found.kind} (${found.codePoint}) at index ${found.index}: text fields take no NUL, lone surrogates or bidirectional controls (U+202A–U+202E, U+2066–U+2069); remove it.`,
          );
        }
      }
    });
  },
  { name: 'cairn-text-check' },
);
