import { describe, expect, it } from 'vitest';
import { parseHtmlNote } from './parse-html-note.js';

const page = (author: string) =>
  `<html><head><title>Staff archetypes</title><meta name="author" content="${author}"></head><body><main><p>Four archetypes of Staff-plus roles.</p></main></body></html>`;

describe('parseHtmlNote', () => {
  it("reads the author's name, also out of the Go map a Hugo theme writes", () => {
    expect(parseHtmlNote(page('Will Larson'), 'guides/staff-archetypes/index.html').author).toBe('Will Larson');
    expect(parseHtmlNote(page('map[name:Will Larson]'), 'guides/staff-archetypes/index.html').author).toBe('Will Larson');
    expect(parseHtmlNote(page('map[twitter:lethain]'), 'guides/staff-archetypes/index.html').author).toBeNull();
    // Anything else is the note's author as written: a note names its own authors.
    expect(parseHtmlNote(page('Doe, Jane'), 'notes/a.html').author).toBe('Doe, Jane');
  });
});
