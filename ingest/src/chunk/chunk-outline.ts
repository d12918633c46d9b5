import { CairnError, estimateTokens } from '@cairn/core';
import type { OutlineBlock } from '../outline.js';

export interface ChunkOptions {
  /** Upper bound on a chunk's estimated tokens, overlap included. */
  maxTokens: number;
  /** Tokens of the previous chunk repeated at the start of the next one in the same section. */
  overlapTokens: number;
}

export const defaultChunkOptions: ChunkOptions = { maxTokens: 320, overlapTokens: 48 };

export interface OutlineChunk {
  ordinal: number;
  headingPath: string[];
  /** The anchor of the nearest heading that has one (for `url#anchor`). */
  anchor: string | null;
  text: string;
  tokenCount: number;
  /** How many leading characters of `text` repeat the end of the previous chunk. */
  overlap: number;
}

/** A piece of text that packing never splits, with the white space that preceded it. */
interface Atom {
  separator: string;
  text: string;
  tokens: number;
}

const sentenceBoundary = /(?<=[.!?:;]["')\]]?)(\s+)(?=\S)/g;
const whitespaceRun = /(\s+)/;

/**
 * Splits a document into passages: section-aware (a chunk never spans two headings, and
 * carries its heading path and anchor), paragraph-respecting (paragraphs are split only
 * when one alone exceeds the bound: at sentences, then words, then characters),
 * token-bounded, with overlap between neighbouring chunks of a section. Linear time.
 */
export function chunkOutline(blocks: readonly OutlineBlock[], options: ChunkOptions = defaultChunkOptions): OutlineChunk[] {
  if (options.maxTokens < 8)
    throw new CairnError('invalid_chunk_options', `maxTokens must be at least 8 (got ${options.maxTokens})`, {
      details: { maxTokens: options.maxTokens },
    });
  const overlapBudget = Math.min(options.overlapTokens, Math.floor(options.maxTokens / 2));
  const chunks: OutlineChunk[] = [];
  const headings: { level: number; text: string; anchor: string | null }[] = [];
  let section: Atom[] = [];

  const flush = () => {
    if (section.length === 0) return;
    const headingPath = headings.map((heading) => heading.text);
    const anchor = [...headings].reverse().find((heading) => heading.anchor)?.anchor ?? null;
    for (const packed of pack(section, options.maxTokens, overlapBudget)) {
      chunks.push({ ordinal: chunks.length, headingPath, anchor, ...packed });
    }
    section = [];
  };

  for (const block of blocks) {
    if (block.kind === 'heading') {
      flush();
      while (headings.length > 0 && headings[headings.length - 1]!.level >= block.level) headings.pop();
      headings.push({ level: block.level, text: block.text.trim(), anchor: block.anchor });
      continue;
    }
    const text = block.text.trim();
    if (!text) continue;
    const atoms = splitToAtoms(text, options.maxTokens);
    atoms[0]!.separator = section.length > 0 ? '\n\n' : '';
    // One by one: spreading 100,000+ atoms (a megabyte of words without a full stop) overflows the call stack.
    for (const atom of atoms) section.push(atom);
  }
  flush();
  return chunks;
}

/** Breaks a paragraph into atoms no larger than `maxTokens`, keeping its exact characters. */
function splitToAtoms(paragraph: string, maxTokens: number): Atom[] {
  const tokens = estimateTokens(paragraph);
  if (tokens <= maxTokens) return [{ separator: '', text: paragraph, tokens }];
  const atoms: Atom[] = [];
  for (const [separator, sentence] of pieces(paragraph, sentenceBoundary)) {
    const sentenceTokens = estimateTokens(sentence);
    if (sentenceTokens <= maxTokens) {
      atoms.push({ separator, text: sentence, tokens: sentenceTokens });
      continue;
    }
    let first = true;
    for (const [wordSeparator, word] of pieces(sentence, whitespaceRun)) {
      const leading = first ? separator : wordSeparator;
      first = false;
      const wordTokens = estimateTokens(word);
      if (wordTokens <= maxTokens) {
        atoms.push({ separator: leading, text: word, tokens: wordTokens });
        continue;
      }
      // A "word" longer than a chunk (a URL, a hash, minified text): cut it by characters.
      // Each slice estimates at most maxTokens (one token per character in the worst case).
      for (let start = 0; start < word.length; start += maxTokens) {
        const slice = word.slice(start, start + maxTokens);
        atoms.push({ separator: start === 0 ? leading : '', text: slice, tokens: estimateTokens(slice) });
      }
    }
  }
  return atoms;
}

/** Splits text at a separator pattern with one capture group, yielding [preceding separator, piece]. */
function* pieces(text: string, separator: RegExp): Generator<[string, string]> {
  const parts = text.split(separator);
  // split with a capture group alternates piece, separator, piece, ...
  yield ['', parts[0]!];
  for (let index = 1; index + 1 < parts.length; index += 2) yield [parts[index]!, parts[index + 1]!];
}

/** Packs atoms greedily into chunks of at most maxTokens, repeating up to overlapBudget tokens. */
function pack(atoms: Atom[], maxTokens: number, overlapBudget: number): Omit<OutlineChunk, 'ordinal' | 'headingPath' | 'anchor'>[] {
  const packed: Omit<OutlineChunk, 'ordinal' | 'headingPath' | 'anchor'>[] = [];
  let start = 0;
  let overlapStart = 0;
  while (start < atoms.length) {
    let tokens = 0;
    for (let index = overlapStart; index < start; index += 1) tokens += atoms[index]!.tokens;
    let end = start;
    while (end < atoms.length && (end === start && tokens === 0 ? true : tokens + atoms[end]!.tokens <= maxTokens)) {
      tokens += atoms[end]!.tokens;
      end += 1;
    }
    if (end === start) {
      // The overlap left no room for the next atom: start this chunk without it.
      overlapStart = start;
      continue;
    }
    const overlapText = join(atoms, overlapStart, start);
    const bodyText = join(atoms, start, end);
    const text = overlapText ? overlapText + atoms[start]!.separator + bodyText : bodyText;
    packed.push({ text, tokenCount: tokens, overlap: overlapText ? overlapText.length + atoms[start]!.separator.length : 0 });
    // The next chunk repeats the trailing atoms of this one, within the overlap budget.
    let overlapTokens = 0;
    overlapStart = end;
    while (overlapStart > start && overlapTokens + atoms[overlapStart - 1]!.tokens <= overlapBudget) {
      overlapStart -= 1;
      overlapTokens += atoms[overlapStart]!.tokens;
    }
    start = end;
  }
  return packed;
}

function join(atoms: Atom[], from: number, to: number): string {
  let text = '';
  for (let index = from; index < to; index += 1) text += (index === from ? '' : atoms[index]!.separator) + atoms[index]!.text;
  return text;
}
