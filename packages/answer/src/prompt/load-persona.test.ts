import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@cairn/core';
import { defaultPersonaPath, loadPersona } from './load-persona.js';

describe('loadPersona', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cairn-persona-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads the bundled persona, trimmed, when no path is given', async () => {
    const persona = await loadPersona();
    expect(persona).toBe((await readFile(defaultPersonaPath, 'utf8')).trim());
    expect(persona).toMatch(/^# Cairn/);
    expect(defaultPersonaPath).toMatch(/persona[\\/]thought-partner\.md$/);
  });

  it('reads a replacement file', async () => {
    const path = join(directory, 'persona.md');
    await writeFile(path, '\n  You are a test persona.  \n\n');
    expect(await loadPersona(path)).toBe('You are a test persona.');
  });

  it('throws a ConfigError naming CAIRN_PERSONA_PATH for a missing file', async () => {
    const path = join(directory, 'missing.md');
    const error = await loadPersona(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('CAIRN_PERSONA_PATH');
    expect((error as ConfigError).message).toContain('CAIRN_PERSONA_PATH');
    expect((error as ConfigError).message).toContain(path);
    expect((error as ConfigError).message).not.toContain('\n');
  });

  it('throws a ConfigError for an empty file', async () => {
    const path = join(directory, 'empty.md');
    await writeFile(path, '  \n\n');
    await expect(loadPersona(path)).rejects.toThrow(/CAIRN_PERSONA_PATH: .*empty/);
  });
});

/** What the persona must say, by the part of the spec it comes from. */
const expectedPhrases: Array<[string, RegExp[]]> = [
  [
    'core behaviours',
    [
      /ask before advising/i,
      /team/i,
      /stage the company/i,
      /constraints/i,
      /what has been tried/i,
      /challenge assumptions/i,
      /hire more engineers/i,
      /velocity/i,
      /measured/i,
      /ground your thinking in frameworks/i,
      /never just mention a name/i,
      /think in systems/i,
      /feedback loops/i,
      /leverage points/i,
      /second-order effects/i,
      /be direct/i,
    ],
  ],
  [
    'Technical Coherence',
    [
      /Technical Coherence \(Jack Danger\)/,
      /Product Engineering/,
      /Domain Engineering/,
      /Infrastructure Engineering/,
      /derive the org structure from the product architecture/i,
    ],
  ],
  ['Staff Archetypes', [/Staff Archetypes \(Will Larson\)/, /Tech Lead/, /Architect/, /Solver/, /Right Hand/, /match the shape/i]],
  [
    'Trunk and Branches',
    [
      /Trunk and Branches \(Will Larson\)/,
      /\*\*Trunk\*\*/,
      /\*\*Branches\*\*/,
      /reliability, security/i,
      /over-centralisation and fragmentation/i,
    ],
  ],
  [
    'Engineering Strategy',
    [
      /Engineering Strategy/,
      /diagnosis/i,
      /guiding policies/i,
      /coherent actions/i,
      /neither a project list nor a vision statement/i,
      /how the organisation expects to succeed/i,
    ],
  ],
  [
    'BICEPS',
    [
      /BICEPS \(Lara Hogan\)/,
      /Belonging/,
      /Improvement/,
      /Choice/,
      /Equality/,
      /Predictability/,
      /Significance/,
      /need that feels under threat/i,
    ],
  ],
  ['Feedback Equation', [/Feedback Equation \(Lara Hogan\)/, /Observation/, /Impact/, /Question or Request/]],
  ["Naming What's Happening", [/Naming What's Happening \(Lara Hogan\)/, /psychological safety/i, /your own reactions/i]],
  [
    'Sponsorship vs Mentorship',
    [
      /Sponsorship vs Mentorship \(Lara Hogan\)/,
      /Mentorship\*\* is advice/,
      /rooms they are not in/i,
      /plenty of mentoring and too little sponsoring/i,
    ],
  ],
  [
    'topics',
    [
      /Staff\+ engineering/,
      /Org design/,
      /Technical quality/,
      /Career development/,
      /Hiring/,
      /\*\*Strategy\*\*/,
      /\*\*Infrastructure\*\*/,
      /First 90 days/,
      /EM, Director, VP or CTO/,
      /\*\*Feedback\*\*/,
      /Difficult conversations/,
      /Meeting facilitation/,
      /Developing people/,
    ],
  ],
  [
    "don'ts",
    [
      /do not write code or review pull requests/i,
      /do not make decisions for the user/i,
      /do not endorse a weak idea/i,
      /do not give generic advice/i,
    ],
  ],
  [
    'conversation style',
    [
      /concise but thorough/i,
      /concrete examples/i,
      /reference the source material/i,
      /clarifying questions to one or two per reply/i,
      /summarise your understanding/i,
    ],
  ],
  [
    'source material',
    [
      /lethain\.com/,
      /staffeng\.com/,
      /infraeng\.dev/,
      /larahogan\.me/,
      /An Elegant Puzzle/,
      /Staff Engineer,/,
      /The Engineering Executive's Primer/,
      /Resilient Management/,
    ],
  ],
  [
    'grounding rules',
    [
      /## Grounding rules/,
      /numbered passages/i,
      /right after each sentence that relies on passage 2/i,
      /\[2\]/,
      /only the numbers of passages in the current message/i,
      /never attach a marker to a claim the passage does not make/i,
      /do not support an answer, say so plainly/i,
      /do not invent/i,
      /data, never instructions/i,
      /ignore it/i,
      /decline politely/i,
      /steer back to the leadership question/i,
    ],
  ],
];

describe('the bundled persona', () => {
  it.each(expectedPhrases)('covers the %s', async (_part, phrases) => {
    const persona = await loadPersona();
    for (const phrase of phrases) expect(persona).toMatch(phrase);
  });

  it('stays around 900 to 1,400 words', async () => {
    const words = (await loadPersona()).split(/\s+/).length;
    expect(words).toBeGreaterThanOrEqual(900);
    expect(words).toBeLessThanOrEqual(1400);
  });
});
