import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/cairn.js', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** The README's first-start example: the question it asks, the answer it shows, and the citations it lists for it. */
function readmeExample(text: string): { question: string; answer: string; citations: { n: number; url: string }[] } {
  const question = /curl -s http:\/\/127\.0\.0\.1:3000\/v1\/ask[\s\S]*?"question": "((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  const answer = /This is\s+the real `answer` text[\s\S]*?```text\n([\s\S]*?)\n```/.exec(text)?.[1];
  const listed = /Its citations, in order:\n\n((?:- \[\d+\] .*\n)+)/.exec(text)?.[1];
  if (!question || !answer || !listed) throw new Error('README.md has no first-start example with its question, answer and citations list');
  const citations = [...listed.matchAll(/^- \[(\d+)\] <?(https?:\/\/[^\s>]+)>?/gm)].map((match) => ({
    n: Number(match[1]),
    url: match[2]!,
  }));
  return { question: JSON.parse(`"${question}"`) as string, answer, citations };
}

describe("the README's example answer", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-readme-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('lists every source its text cites', () => {
    const example = readmeExample(readme);
    const markers = new Set([...example.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
    expect([...markers].sort((a, b) => a - b)).toEqual(example.citations.map((citation) => citation.n));
  });

  it('shows the real answer to its question on the defaults, word for word, citing the same sources in the same order', async () => {
    const example = readmeExample(readme);
    const env = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', CAIRN_DATA_DIR: dataDir };
    const { stdout } = await run(process.execPath, [bin, 'ask', example.question, '--json'], { env, timeout: 120_000 });
    const body = JSON.parse(stdout) as { answer: string; citations: { n: number; url: string }[] };
    expect(body.citations.map(({ n, url }) => ({ n, url }))).toEqual(example.citations);
    // Extractive answers are deterministic: the text shown is the text a newcomer gets.
    expect(body.answer).toBe(example.answer);
  }, 150_000);
});
