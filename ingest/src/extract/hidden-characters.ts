/**
 * Characters that render as nothing (or reorder what is shown) and carry no meaning in
 * prose: zero-width spaces and joiners of words, soft hyphens, the byte-order mark,
 * bidirectional overrides and isolates, and the Unicode tag and variation-selector
 * blocks that "ASCII smuggling" spells whole instructions in. A reader never sees them,
 * a model reads them, and they split words so that no pattern matches an instruction.
 * (Zero-width joiners and non-joiners stay: emoji and several scripts need them.) And the
 * control characters other than tab and line breaks: NUL, which Postgres's text cannot
 * hold (one in a note stopped `cairn ingest --dir` with the driver's error), and the rest,
 * which no prose carries.
 */
const invisibleCharacters =
  // eslint-disable-next-line no-control-regex -- the control characters are what it takes out
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u180e\u200b\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/gu;

/** The text without invisible and control characters (see above): one policy for web pages and notes alike. */
export function withoutInvisibleCharacters(text: string): string {
  return text.replace(invisibleCharacters, '');
}
