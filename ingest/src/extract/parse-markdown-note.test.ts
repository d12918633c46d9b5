import { describe, expect, it } from 'vitest';
import { parseMarkdownNote } from './parse-markdown-note.js';

/** The text blocks of a parsed note. */
function texts(markdown: string): string[] {
  return parseMarkdownNote(markdown, 'note.md').blocks.flatMap((block) => (block.kind === 'text' ? [block.text] : []));
}

describe('parseMarkdownNote', () => {
  it('joins the lines of a paragraph wrapped at a fixed width, as a browser shows them', () => {
    const markdown = [
      '# Getting the title',
      '',
      "At most technology companies, you'll reach Senior software engineer, the [career level](https://example.test/level)",
      'for software engineers, in five to eight years.',
      '  Being promoted further is an exception rather than expected.',
      '',
      '- a list item that wraps',
      '  onto a second line',
      '- another item',
    ].join('\n');
    expect(texts(markdown)).toEqual([
      "At most technology companies, you'll reach Senior software engineer, the career level for software engineers, in five to eight years. Being promoted further is an exception rather than expected.",
      '- a list item that wraps onto a second line\n- another item',
    ]);
  });

  it('keeps a hard line break, and the lines of a code block', () => {
    const markdown = [
      '# Notes',
      '',
      'First line  ',
      'second line\\',
      'third line<br>',
      'fourth line',
      '',
      '```',
      'const a = 1;',
      'const b = 2;',
      '```',
    ].join('\n');
    expect(texts(markdown)).toEqual(['First line\nsecond line\nthird line\nfourth line', 'const a = 1;\nconst b = 2;']);
  });
});

describe('a note’s url, which citations link', () => {
  it('takes an http(s) address, and refuses a script, data or mail link, or no URL at all, naming the note', () => {
    const note = (url: string) => `---\ntitle: Odd\nurl: "${url}"\n---\n\nA note on on-call load and how to share it.\n`;
    expect(parseMarkdownNote(note('https://lethain.com/staff-archetypes/'), 'a.md').url).toBe('https://lethain.com/staff-archetypes/');
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'mailto:someone@example.com'])
      expect(() => parseMarkdownNote(note(url), 'odd.md'), url).toThrow(/odd\.md.*is not an http\(s\) address/);
    expect(() => parseMarkdownNote(note('not a url'), 'odd.md')).toThrow(/is not a URL/);
  });
});

describe('front matter with a YAML tag the reader does not know', () => {
  it('reads the note without printing a warning and its code frame to stderr', async () => {
    const { vi } = await import('vitest');
    const warned = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const note = parseMarkdownNote('---\ntitle: !custom Tagged title\n---\n\nA note on pager load.\n', 'tagged.md');
      expect(note.title).toBe('Tagged title');
      expect(warned).not.toHaveBeenCalled();
      expect(logged).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
      logged.mockRestore();
    }
  });
});

describe('parseMarkdownNote: the published date', () => {
  const note = (published: string) => `---\ntitle: Dated\npublished: ${published}\n---\n\nA note about pager load.\n`;

  it('reads a real date, with or without a time, as UTC', () => {
    expect(parseMarkdownNote(note('2024-02-29'), 'a.md').publishedAt?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseMarkdownNote(note('2024-02-29T09:30:00+02:00'), 'a.md').publishedAt?.toISOString()).toBe('2024-02-29T07:30:00.000Z');
    expect(parseMarkdownNote('---\ntitle: Undated\n---\n\nText.\n', 'a.md').publishedAt).toBeNull();
  });

  it('refuses a date that is no date, naming it, where it was rolled into March or stored as given (probe 34, L1)', () => {
    for (const published of ['2024-02-30', '99999-01-01', '-1000-01-01', 'yesterday', '2024-13-01'])
      expect(() => parseMarkdownNote(note(published), 'a.md'), published).toThrow(/a\.md: published: .* is not a date/);
  });
});
