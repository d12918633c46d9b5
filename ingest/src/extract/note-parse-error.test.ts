import { describe, expect, it } from 'vitest';
import { CairnError } from '@cairn/core';
import { NoteParseError } from './note-parse-error.js';
import { parseHtmlNote } from './parse-html-note.js';
import { parseMarkdownNote } from './parse-markdown-note.js';

/** What `parse` throws, or undefined when it returns. */
function failure(parse: () => unknown): unknown {
  try {
    parse();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('NoteParseError', () => {
  it('is a coded error (note_unparseable) naming the note and what is wrong with it', () => {
    const error = failure(() => parseMarkdownNote('# Only a heading\n', 'notes/empty.md'));
    expect(error).toBeInstanceOf(NoteParseError);
    expect(error).toBeInstanceOf(CairnError);
    expect(error).toMatchObject({
      name: 'NoteParseError',
      code: 'note_unparseable',
      statusCode: 422,
      locator: 'notes/empty.md',
      reason: 'has no text',
      message: 'notes/empty.md: has no text',
    });
  });

  it('is what both note formats throw', () => {
    expect(failure(() => parseMarkdownNote('---\n- a list\n---\nSome text.\n', 'list.md'))).toMatchObject({
      code: 'note_unparseable',
      reason: 'front matter is not a mapping',
    });
    expect(failure(() => parseHtmlNote('<p>No title here.</p>', 'untitled.html'))).toMatchObject({
      code: 'note_unparseable',
      reason: 'has no <title> or <h1>',
    });
  });
});
