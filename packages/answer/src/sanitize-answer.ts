import { readerWords } from '@cairn/text';
import { citationMarkerPattern, containsCitationMarker } from './citation-marker.js';

/**
 * What an answer must never carry, whatever a crawled page talked the model into: an image
 * (a client that renders it sends a request, with whatever the URL holds, to its host), a
 * link or address other than the sources it cites, raw HTML, or the system prompt.
 */

/** What was taken out of an answer. */
export type SanitizedKind = 'image' | 'html' | 'link' | 'url' | 'system_prompt';

export interface SanitizedPart {
  kind: SanitizedKind;
  /** The text taken out: the image, tag, link target, address or whole sentence. */
  text: string;
}

/** An answer repeating this many consecutive words of the system prompt is quoting it. */
export const promptRunWords = 8;

export interface AnswerGuardOptions {
  /** The system prompt (the persona). Without it, nothing is checked for leaks of it. */
  systemPrompt?: string | undefined;
  /**
   * Texts the answer may repeat even where they share words with the system prompt: the
   * passages it draws on (the persona paraphrases some of the corpus, and repeating a
   * passage reveals nothing).
   */
  sourceTexts?: readonly string[] | undefined;
}

/**
 * An address a markdown renderer may link by itself: a scheme and `//`, or `www.`, matched
 * anywhere (renderers differ on what may precede one, so this takes the widest view); and
 * `//host/…` without a scheme, which a link split over two lines could still point at.
 */
const bareUrlPattern = /(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s<>()[\]"'`]*|www\.[^\s<>()[\]"'`]*/gi;
/** `![alt](url "title")` and `![alt][ref]`; a `!` left before `[` is taken out separately. */
const imagePattern = /!\[[^\]]*\](?:\([^)]*\)?|\[[^\]]*\])?/g;
/** `[label](url "title")`: the label stays, the target only when allowed. */
const linkPattern = /\[([^[\]]*)\]\(\s*<?([^\s<>)]*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
/** `[ref]: url "title"`, a reference link's definition, on a line of its own. */
const definitionPattern = /^[ \t]*\[[^\]]+\]:[ \t]*<?(\S*?)>?(?:[ \t]+.*)?$/gm;
/** `<https://…>`: an autolink. */
const autolinkPattern = /<([a-z][a-z0-9+.-]*:[^\s<>]*)>/gi;
/** Any HTML tag, opening, closing or self-closing (`<img src=…>`, `</a>`, `<br/>`). */
const tagPattern = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi;
/** A tag that loads or links something, left unclosed (`<img src="…` at the end, `<img src=<>`). */
const openTagPattern =
  /<\/?(?:img|image|picture|source|video|audio|iframe|frame|embed|object|script|style|link|meta|base|svg|a|form|input)\b[^<>]*/gi;
/** Punctuation that ends the sentence around an address rather than the address itself. */
const trailingPunctuation = /[.,;:!?*_~]+$/;

/** The words a reader of the cleaned text would read: no citation markers (not words of the text), addresses, images or tags. */
function visibleWords(text: string): string[] {
  return readerWords(
    text.replace(citationMarkerPattern, ' ').replace(imagePattern, ' ').replace(tagPattern, ' ').replace(bareUrlPattern, ' '),
  );
}

function runsOf(words: readonly string[]): Set<string> {
  const runs = new Set<string>();
  for (let end = promptRunWords; end <= words.length; end += 1) runs.add(words.slice(end - promptRunWords, end).join(' '));
  return runs;
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * The sentences of an answer and the white space between them, every character kept: a
 * sentence ends at `.`, `!` or `?` (closing quotes, brackets and emphasis included) before
 * spaces, and at a line break.
 */
export function answerSegments(text: string): string[] {
  return text.split(/((?<=[.!?]["')\]*_]*)[ \t]+|\n+)/);
}

/**
 * The runs of the system prompt's words an answer may not repeat, and the last words shown,
 * so that a run split between two sentences (or two streamed pieces) is still seen.
 */
class PromptRuns {
  private readonly runs: Set<string>;
  private tail: string[] = [];

  constructor(options: AnswerGuardOptions) {
    this.runs = runsOf(readerWords(options.systemPrompt ?? ''));
    for (const source of options.sourceTexts ?? []) for (const run of runsOf(readerWords(source))) this.runs.delete(run);
  }

  /** Whether `words`, after those shown before, complete a run; if they do not, they count as shown. */
  completesRun(words: readonly string[]): boolean {
    const context = [...this.tail, ...words];
    for (let end = Math.max(this.tail.length + 1, promptRunWords); end <= context.length; end += 1) {
      if (this.runs.has(context.slice(end - promptRunWords, end).join(' '))) return true;
    }
    this.tail = context.slice(-(promptRunWords - 1));
    return false;
  }
}

/**
 * Checks an answer a sentence at a time, in order, so that a streamed answer and the
 * whole of it come out the same: `admits` says whether a sentence may be shown at all (it
 * must not continue a run of the system prompt's words from the text shown before it), and
 * `clean` takes images, HTML and links to anything but the allowed addresses out of it.
 */
export class AnswerGuard {
  private readonly promptRuns: PromptRuns;
  /** Whether the last sentence was dropped: the spaces after it go too. */
  private dropped = false;
  private readonly removedParts: SanitizedPart[] = [];

  constructor(options: AnswerGuardOptions = {}) {
    this.promptRuns = new PromptRuns(options);
  }

  /** Everything taken out so far. */
  get removed(): SanitizedPart[] {
    return [...this.removedParts];
  }

  /**
   * Whether `sentence` may follow the text admitted before it: false when it completes a
   * run of `promptRunWords` words of the system prompt (one it repeats, or one it continues
   * from the end of the last sentence). An admitted sentence's words become the context of
   * the next. The spaces between sentences count as a segment of their own: those after a
   * dropped sentence are dropped with it (a line break is kept).
   */
  admits(sentence: string): boolean {
    if (sentence.trim() === '') {
      if (sentence === '') return true;
      const follows = this.dropped;
      this.dropped = false;
      return !follows || sentence.includes('\n');
    }
    this.dropped = this.promptRuns.completesRun(visibleWords(sentence));
    if (this.dropped) this.removedParts.push({ kind: 'system_prompt', text: sentence });
    return !this.dropped;
  }

  /**
   * The sentence without images (markdown or HTML), HTML tags, or links and addresses other
   * than `allowedUrls` (each also allowed without its `#fragment`): a link keeps its label,
   * an address goes. Text around them is kept as written.
   */
  clean(sentence: string, allowedUrls: readonly string[]): string {
    const allowed = new Set(allowedUrls.flatMap((url) => [url, withoutFragment(url)]));
    const isAllowed = (url: string) => allowed.has(url);
    const before = this.removedParts.length;
    const drop = (kind: SanitizedKind, text: string) => {
      this.removedParts.push({ kind, text });
      return '';
    };
    const pass = (text: string) =>
      text
        .replace(tagPattern, (tag) => drop('html', tag))
        .replace(openTagPattern, (tag) => drop('html', tag))
        .replace(imagePattern, (image) => drop('image', image))
        // An image split by the sentence boundary leaves its `![` here: no image may start.
        .replace(/!+(?=\[)/g, (mark) => drop('image', mark))
        .replace(linkPattern, (link, label: string, url: string) => (isAllowed(url) ? link : drop('link', url) + label))
        .replace(definitionPattern, (definition, url: string) => (isAllowed(url) ? definition : drop('link', definition)))
        .replace(autolinkPattern, (autolink, url: string) => (isAllowed(url) ? autolink : drop('url', autolink)))
        .replace(bareUrlPattern, (url) => {
          // In running text, punctuation after an address ends the sentence, not the address.
          const address = url.replace(trailingPunctuation, '');
          return isAllowed(address) ? url : drop('url', address) + url.slice(address.length);
        })
        .replace(/<(?=\/?img)/gi, (mark) => drop('html', mark))
        // A link whose target was taken out (`[x](` then an address) is left as its label.
        .replace(/\]\([ \t]*\)/g, ']')
        // What was around a removed part closes up: no doubled spaces, no space before punctuation.
        .replace(/[ \t]{2,}/g, ' ')
        .replace(/[ \t]+([.,;:!?])/g, '$1')
        .trim();
    // Taking one thing out can join what was around it into another (`!<b>[x]…`, `www <b>.x`):
    // passes repeat until nothing more comes out.
    let cleaned = sentence;
    for (let previous = ''; cleaned !== previous;) [previous, cleaned] = [cleaned, pass(cleaned)];
    // The closing up applies only where something was taken out.
    return this.removedParts.length === before ? sentence : cleaned;
  }
}

export interface SanitizeOptions extends AnswerGuardOptions {
  /** The addresses the answer may link: the URLs of the sources it cites. */
  allowedUrls: readonly string[];
}

/**
 * An answer made safe to render: sentences that repeat the system prompt dropped, images
 * and HTML removed, links and addresses kept only when they are `allowedUrls`. Applied to
 * whole answers (extractive ones, the list of sources); a model's answer is checked the same
 * way, sentence by sentence as it streams, by `verifyCitations`.
 */
export function sanitizeAnswer(text: string, options: SanitizeOptions): { text: string; removed: SanitizedPart[] } {
  const guard = new AnswerGuard(options);
  const cleaned = answerSegments(text)
    .map((segment) => (guard.admits(segment) ? guard.clean(segment, options.allowedUrls) : ''))
    .join('');
  return { text: cleaned, removed: guard.removed };
}

/**
 * The start of what could still become an image, a link, a tag or an address once more
 * text arrives: an unclosed `![…](…` or `[…](…` (or a `]` that a `(` may follow), an
 * unclosed `<…`, a trailing `!`, or the last word. Constructs end at a line break.
 */
function unfinishedFrom(text: string): number {
  const construct = /!?\[[^\]\n]*(?:\](?:\([^)\n]*)?)?$|<[^>\n]*$|!$/.exec(text);
  const lastWord = /\S*$/.exec(text)!;
  return Math.min(construct?.index ?? text.length, lastWord.index);
}

/** A word that ends a sentence: its last mark, closing quotes and brackets, then spaces. */
const sentenceEndWord = /[.!?]["')\]*_]*[ \t]*$/;

/**
 * Cleans a model's answer as it streams, before its sentences are complete (the pieces a
 * client shows while the answer is written): whatever could still turn into an image, a
 * link or an address is held back until it is complete, and the rest is cleaned at once,
 * keeping links and addresses only to `allowedUrls`. Sentences cannot wait for their end
 * here, so the system prompt is kept out word by word: the word that would complete a run
 * of it, and the rest of its sentence, are not shown (the verified answer drops the whole
 * sentence).
 */
export class StreamingCleaner {
  private readonly guard = new AnswerGuard();
  private readonly promptRuns: PromptRuns;
  /** Inside a sentence that repeats the system prompt: nothing more of it is shown. */
  private silenced = false;
  private pending = '';

  constructor(
    private readonly allowedUrls: readonly string[],
    options: AnswerGuardOptions = {},
  ) {
    this.promptRuns = new PromptRuns(options);
  }

  /** The cleaned text that is ready, from everything pushed so far; '' while all of it is held back. */
  push(piece: string): string {
    this.pending += piece;
    const cut = unfinishedFrom(this.pending);
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.cleaned(ready);
  }

  /** The rest, cleaned, once the answer is complete. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    return this.cleaned(rest);
  }

  private cleaned(text: string): string {
    // The guard closes up and trims what it cleans: the spaces around the piece are kept.
    const [, before, middle, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
    const result = middle ? this.guard.clean(middle, this.allowedUrls) : '';
    const words = `${before}${result}${result === '' ? '' : after}`.match(/\S+[ \t]*|\s+/g) ?? [];
    return words.filter((word) => this.shows(word)).join('');
  }

  /**
   * Whether a word (with the spaces after it) may be shown: not one that completes a run of
   * the system prompt, nor any after it in its sentence. A line break ends the sentence.
   */
  private shows(word: string): boolean {
    if (word.trim() === '') {
      if (word.includes('\n')) this.silenced = false;
      return !this.silenced;
    }
    const ends = sentenceEndWord.test(word);
    if (!this.silenced && this.promptRuns.completesRun(visibleWords(word))) this.silenced = true;
    if (!this.silenced) return true;
    if (ends) this.silenced = false;
    return false;
  }
}

/**
 * Whether a passage's sentence carries an address, an image, HTML or citation markers of
 * its own: quoted into an answer it would link, load or cite something the answer cannot
 * vouch for.
 */
export function carriesLinksOrMarkup(sentence: string): boolean {
  return new RegExp(bareUrlPattern.source, 'i').test(sentence) || /!\[|<\/?[a-z]/i.test(sentence) || containsCitationMarker(sentence);
}
