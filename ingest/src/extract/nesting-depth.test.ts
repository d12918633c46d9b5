import { describe, expect, it } from 'vitest';
import { extractArticle, ExtractionError } from './extract-article.js';
import { maxNestingDepth, nestsTooDeeply } from './extraction-error.js';
import { NoteParseError, parseMarkdownNote } from './parse-markdown-note.js';
import { parseHtmlNote } from './parse-html-note.js';

const prose = `<p>${'How the team shares the pager and keeps the rotation fair across time zones. '.repeat(10)}</p>`;
const page = (inner: string) =>
  `<!doctype html><html><head><title>Deep</title></head><body><article><h1>Deep</h1>${prose}${inner}</article></body></html>`;
// Unclosed block quotes: a few hundred KB that overflowed the extractor's walk (probe 33 M1).
const deep = page('<blockquote><p>q'.repeat(40_000));

describe('documents nested deeper than any page written for people', () => {
  it('are refused as unreadable at once, before the parser spends seconds on them', () => {
    const started = performance.now();
    expect(() => extractArticle(deep, 'https://example.test/deep')).toThrow(ExtractionError);
    expect(() => parseHtmlNote(deep, 'deep.html')).toThrow(NoteParseError);
    const markdown = `---\ntitle: Deep\n---\n\nSome text about the pager.\n\n${'>'.repeat(50_000)} quoted\n`;
    expect(() => parseMarkdownNote(markdown, 'deep.md')).toThrow(/nests its content too deeply/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('counts only what stays open: closed elements, optional end tags and a page of ordinary depth pass', () => {
    expect(nestsTooDeeply('<div>a</div>'.repeat(50_000))).toBe(false);
    expect(nestsTooDeeply('<ul>' + '<li>item'.repeat(50_000) + '</ul>')).toBe(false);
    expect(nestsTooDeeply('<div>'.repeat(maxNestingDepth) + '</div>'.repeat(maxNestingDepth))).toBe(false);
    expect(nestsTooDeeply('<div>'.repeat(maxNestingDepth + 1))).toBe(true);
    const ordinary = page('<blockquote><p>q'.repeat(50) + '</blockquote>'.repeat(50));
    expect(extractArticle(ordinary, 'https://example.test/ordinary').outline.title).toBe('Deep');
  });
});

describe('a note whose paragraph holds tens of thousands of emphasis markers', () => {
  it('is refused at once, where marked took minutes over it (probe 33 L1), and ordinary emphasis is read', () => {
    const started = performance.now();
    const flood = `---\ntitle: Flood\n---\n\nSome text about the pager.\n\n${'_a'.repeat(100_000)}\n`;
    expect(() => parseMarkdownNote(flood, 'flood.md')).toThrow(/emphasis markers/);
    expect(performance.now() - started).toBeLessThan(2_000);
    const ordinary = `---\ntitle: Ordinary\n---\n\n${'Some *text* about the _pager_ and snake_case_names.\n\n'.repeat(500)}`;
    expect(parseMarkdownNote(ordinary, 'ordinary.md').title).toBe('Ordinary');
  });
});
