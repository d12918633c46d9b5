import { readerWords } from '@cairn/text';
import { parse as parseHostname } from 'tldts';
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
// A scheme starts at the first letter of its run of scheme characters (where the match would start anyway): tried at
// every letter of a long word, `[a-z0-9+.-]*` ran to the word's end each time, quadratic in its length (a
// 200,000-character title took 70 s; probe 34, H1). The look-behind reads back only over digits and `+.-`.
const bareUrlPattern = /(?:(?<![a-z][0-9+.-]*)[a-z][a-z0-9+.-]*:)?\/\/[^\s<>()[\]"'`]*|www\.[^\s<>()[\]"'`]*/gi;
/** `![alt](url "title")` and `![alt][ref]`; a `!` left before `[` is taken out separately. */
const imagePattern = /!\[[^\]]*\](?:\([^)]*\)?|\[[^\]]*\])?/g;
/** `[label](url "title")`: the label stays, the target only when allowed. */
const linkPattern = /\[([^[\]]*)\]\(\s*<?([^\s<>)]*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
/**
 * `](url "title")`: a link's target whose label began in an earlier sentence (a label may run
 * over a line break, where answers are split): the target is judged on its own.
 */
const linkTargetPattern = /\]\(\s*<?([^\s<>)]*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
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

/** What a bare address not cited becomes: the reader still sees that the model named one. */
export const removedAddress = '[link removed]';

/**
 * Names set aside for documentation, tests and local networks (RFC 2606, 6761 and 6762,
 * and ICANN's `.internal`): no registry lists them, and a renderer links them all the same.
 */
const reservedTopLevelDomains = new Set(['example', 'test', 'invalid', 'localhost', 'local', 'internal', 'alt']);

/** Whether a label is a top-level domain: one of the Public Suffix List's ICANN section (via tldts), or a reserved one. */
function isTopLevelDomain(label: string): boolean {
  const name = label.toLowerCase();
  if (reservedTopLevelDomains.has(name)) return true;
  const parsed = parseHostname(`x.${name}`, {
    allowPrivateDomains: false,
    extractHostname: false,
    validateHostname: false,
    detectIp: false,
  });
  return parsed.isIcann === true && parsed.publicSuffix === name;
}

/**
 * The text with the characters a browser reads as ASCII in a host name made ASCII, length
 * kept: fullwidth forms (`ｅｘａｍｐｌｅ`) and the dots of other scripts (`。`, `｡`, `․`, `﹒`).
 */
function foldLookAlikes(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3002\uff61\u2024\ufe52]/g, (character) =>
    character >= '\uff01' && character <= '\uff5e' ? String.fromCharCode(character.charCodeAt(0) - 0xfee0) : '.',
  );
}

/**
 * A label of a host name: letters or digits of any script, hyphens inside. An underscore
 * ends it, as it ends a host for a renderer (`evil.test_x` links `evil.test`).
 */
const hostLabel = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?`;
/** Labels joined by dots, not begun inside a word: what could be a host name, before its last label is checked. */
const dottedNamePattern = new RegExp(String.raw`(?<![\p{L}\p{N}\p{M}])${hostLabel}(?:\.${hostLabel})+`, 'gu');
/** The user part of an e-mail address, before the host. */
const emailUserPattern = /[\p{L}\p{N}._%+-]+@$/u;
/** A port, then a path, query or fragment, after a host name. */
const portAndPathPattern = /^(?::\d{1,5}(?![\p{L}\p{N}]))?(?:[/?#][^\s<>()[\]"'`]*)?/u;

/**
 * How many of `labels` make a host name: the most that end with a top-level domain (two at
 * least), or an IPv4 address's four when a port or path follows; 0 when none do.
 */
function hostLabelCount(labels: readonly string[], portOrPathFollows: boolean): number {
  if (labels.length === 4 && portOrPathFollows && labels.every((label) => /^\d{1,3}$/.test(label) && Number(label) <= 255)) return 4;
  for (let count = labels.length; count >= 2; count -= 1) if (isTopLevelDomain(labels[count - 1]!)) return count;
  return 0;
}

/** A bare address found in a text: where it is, and whether it is only a sentence run into the next (`team.Next`). */
interface BareAddress {
  start: number;
  end: number;
  /** Two labels, the second a capitalised word, nothing around them: a missing space after a full stop. */
  runOnSentence: boolean;
  /** Where its first dot is. */
  dot: number;
}

/** The bare address whose host name starts where `pattern` matched, or undefined when it is no address. */
function bareAddressAt(folded: string, match: RegExpExecArray, from: number): BareAddress | undefined {
  const labels = match[0].split('.');
  const afterLabels = match.index + match[0].length;
  const full = hostLabelCount(labels, /^[:/?#]/.test(folded.slice(afterLabels)));
  if (full === 0) return undefined;
  let end = match.index + labels.slice(0, full).join('.').length;
  let start = match.index;
  if (full === labels.length) {
    const rest = portAndPathPattern.exec(folded.slice(end))![0];
    end += rest.length - (trailingPunctuation.exec(rest)?.[0].length ?? 0);
  }
  // The user part is read from a window of 256 characters before the `@` (it is at most 64): the pattern, unanchored at
  // its start, would try every character of a long word before a host (quadratic; probe 34, H1).
  const user = folded[start - 1] === '@' ? emailUserPattern.exec(folded.slice(Math.max(from, start - 256), start)) : null;
  if (user) start -= user[0].length;
  const runOnSentence = start === match.index && full === 2 && end === afterLabels && /^\p{Lu}\p{Ll}+$/u.test(labels[1]!);
  return { start, end, runOnSentence, dot: match.index + labels[0]!.length };
}

/**
 * The text with each bare address (a host name a renderer would link without a scheme, with
 * its port, path and e-mail user) that is not one of `allowed` replaced by `removedAddress`;
 * a sentence run into the next (`the team.Next`) gets its space back instead. Addresses with
 * a scheme, which the passes before judged, are left alone.
 */
function withoutBareAddresses(text: string, allowed: AllowedAddresses, removed: SanitizedPart[]): string {
  const folded = foldLookAlikes(text);
  // The addresses with a scheme or `www.` still here are allowed ones: no host inside them is judged again.
  const judged = [...text.matchAll(bareUrlPattern)].map((match) => [match.index, match.index + match[0].length] as const);
  const pattern = new RegExp(dottedNamePattern.source, dottedNamePattern.flags);
  let result = '';
  let last = 0;
  for (let match = pattern.exec(folded); match; match = pattern.exec(folded)) {
    const inside = judged.find(([start, end]) => match!.index >= start && match!.index < end);
    if (inside) {
      pattern.lastIndex = inside[1];
      continue;
    }
    const address = bareAddressAt(folded, match, last);
    if (!address) continue;
    const afterHost = address.end;
    // `first.name@host`: the user part of an e-mail address, judged with its host.
    if (folded[afterHost] === '@' && !address.runOnSentence) {
      const next = new RegExp(dottedNamePattern.source, 'uy');
      next.lastIndex = afterHost + 1;
      const host = next.exec(folded);
      if (host && bareAddressAt(folded, host, last)) {
        pattern.lastIndex = afterHost + 1;
        continue;
      }
    }
    pattern.lastIndex = address.end;
    const written = folded.slice(address.start, address.end);
    if (allowed.hosts.has(written.toLowerCase()) || allowed.addresses.has(written)) continue;
    result += text.slice(last, address.start);
    if (address.runOnSentence) {
      result += `${text.slice(address.start, address.dot + 1)} ${text.slice(address.dot + 1, address.end)}`;
    } else {
      removed.push({ kind: 'url', text: text.slice(address.start, address.end) });
      result += removedAddress;
      // The marker is in brackets: right before `(`, `[` or `:` it would open a link (or an
      // image, after a `!`) to what follows, which was never judged as a link target.
      if (/^[([:]/.test(text.slice(address.end))) result += ' ';
    }
    last = address.end;
  }
  return result + text.slice(last);
}

/** What a bare address may be: the host of an allowed URL, or an allowed URL written without its scheme. */
interface AllowedAddresses {
  hosts: Set<string>;
  addresses: Set<string>;
}

function allowedAddresses(allowedUrls: readonly string[]): AllowedAddresses {
  const hosts = new Set<string>();
  const addresses = new Set<string>();
  for (const url of allowedUrls) {
    try {
      const parsed = new URL(url);
      hosts.add(parsed.host.toLowerCase()).add(parsed.hostname.toLowerCase());
    } catch {
      // not a URL: it allows no host
    }
    const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    addresses.add(withoutScheme).add(withoutFragment(withoutScheme));
  }
  return { hosts, addresses };
}

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
   * an address with a scheme goes, and a bare one (`attacker.example/x`, a host a renderer
   * links by itself) becomes `removedAddress` unless it is an allowed URL's host, or an
   * allowed URL without its scheme. Text around them is kept as written.
   */
  clean(sentence: string, allowedUrls: readonly string[]): string {
    const allowed = new Set(allowedUrls.flatMap((url) => [url, withoutFragment(url)]));
    const isAllowed = (url: string) => allowed.has(url);
    const hosts = allowedAddresses(allowedUrls);
    const removed: SanitizedPart[] = [];
    let dropped = false;
    const drop = (kind: SanitizedKind, text: string) => {
      removed.push({ kind, text });
      dropped = true;
      return '';
    };
    const pass = (text: string) => {
      const withoutUrls = text
        .replace(tagPattern, (tag) => drop('html', tag))
        .replace(openTagPattern, (tag) => drop('html', tag))
        .replace(imagePattern, (image) => drop('image', image))
        // An image split by the sentence boundary leaves its `![` here: no image may start.
        .replace(/!+(?=\[)/g, (mark) => drop('image', mark))
        .replace(linkPattern, (link, label: string, url: string) => (isAllowed(url) ? link : drop('link', url) + label))
        .replace(linkTargetPattern, (target, url: string) => (isAllowed(url) ? target : drop('link', url) + ']'))
        .replace(definitionPattern, (definition, url: string) => (isAllowed(url) ? definition : drop('link', definition)))
        .replace(autolinkPattern, (autolink, url: string) => (isAllowed(url) ? autolink : drop('url', autolink)))
        .replace(bareUrlPattern, (url: string, offset: number, whole: string) => {
          // A link's target whose `)` comes in a later sentence (`[x](https://a/b/.` then ` )`):
          // its punctuation is part of the target a renderer links, so it is judged whole.
          if (/\]\(\s*<?$/.test(whole.slice(Math.max(0, offset - 8), offset))) return isAllowed(url) ? url : drop('url', url);
          // In running text, punctuation after an address ends the sentence, not the address.
          const address = url.replace(trailingPunctuation, '');
          return isAllowed(address) ? url : drop('url', address) + url.slice(address.length);
        });
      const withoutAddresses = withoutBareAddresses(withoutUrls, hosts, removed).replace(/<(?=\/?img)/gi, (mark) => drop('html', mark));
      // Once something is taken out, what was around it closes up: a link whose target went
      // (`[x](` then an address) is left as its label, no doubled spaces, no space before
      // punctuation. Not before: a bare address gives way to `removedAddress` in place, so that
      // the same words come out whether they are cleaned a sentence or a word at a time.
      if (!dropped) return withoutAddresses;
      return withoutAddresses
        .replace(/\]\([ \t]*\)/g, ']')
        .replace(/[ \t]{2,}/g, ' ')
        .replace(/[ \t]+([.,;:!?])/g, '$1')
        .trim();
    };
    // Taking one thing out can join what was around it into another (`!<b>[x]…`, `www <b>.x`):
    // passes repeat until nothing more comes out.
    let cleaned = sentence;
    for (let previous = ''; cleaned !== previous;) [previous, cleaned] = [cleaned, pass(cleaned)];
    this.removedParts.push(...removed);
    return cleaned;
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
 * unclosed `<…`, a trailing `!`, or the last word. Constructs end at a line break. A
 * construct is held back with the word it starts in: taking it out may join that word's
 * start to what follows (`attacker.ex<b>ample`), and a host name is judged whole.
 */
function unfinishedFrom(text: string): number {
  const construct = /!?\[[^\]\n]*(?:\](?:\([^)\n]*)?)?$|<[^>\n]*$|!$/.exec(text);
  const constructWord = construct ? /\S*$/.exec(text.slice(0, construct.index))!.index : text.length;
  const lastWord = /\S*$/.exec(text)!;
  return Math.min(constructWord, lastWord.index);
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
