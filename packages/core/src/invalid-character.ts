/**
 * Characters no text Cairn is sent may hold: NUL (Postgres text cannot store it), a lone
 * surrogate (not Unicode; it would be stored as U+FFFD), and the bidirectional embeddings,
 * overrides and isolates that make text display other than it reads (ingestion takes the
 * same ones out of pages). Right-to-left text needs none of them; U+200E and U+200F pass.
 * The API's text check and the MCP server's argument check share this one policy.
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
 * Walks a parsed value (iteratively: a deeply nested one must not overflow the stack) and
 * returns where its first invalid character is, in a string or a property name, and what it is.
 */
export function findInvalidText(value: unknown, root: string): { where: string; found: InvalidCharacter } | undefined {
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
