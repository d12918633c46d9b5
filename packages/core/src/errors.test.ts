import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CairnError, ConfigError, errorCodes, type ErrorCode } from './errors.js';

/** The rows of docs/errors.md's tables: `| \`code\` | status | ...`, in order. */
function documentedRows(markdown: string): { code: string; status: number }[] {
  return [...markdown.matchAll(/^\| `([^`]+)` \| (\d+) \|/gm)].map((match) => ({ code: match[1]!, status: Number(match[2]) }));
}

describe('error codes', () => {
  const documentation = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const rows = documentedRows(documentation);

  it.each(Object.entries(errorCodes))('documents %s with its status in docs/errors.md', (code, { status }) => {
    expect(documentation).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it('documents no code that is not in the table (a row for a removed code fails), and each code once', () => {
    const unknown = rows.filter((row) => !Object.hasOwn(errorCodes, row.code)).map((row) => row.code);
    expect(unknown, 'rows of docs/errors.md naming codes that packages/core/src/errors.ts does not have').toEqual([]);
    const seen = new Set<string>();
    const twice = rows.filter((row) => seen.size === seen.add(row.code).size).map((row) => row.code);
    expect(twice, 'codes with more than one row in docs/errors.md').toEqual([]);
    expect(rows).toHaveLength(Object.keys(errorCodes).length);
  });

  it('gives each CairnError the status of its code', () => {
    for (const code of Object.keys(errorCodes) as ErrorCode[]) {
      expect(new CairnError(code, 'x').statusCode).toBe(errorCodes[code].status);
    }
  });

  it('makes a ConfigError a coded CairnError that names its variable', () => {
    const error = new ConfigError('PORT', 'expects a whole number');
    expect(error).toBeInstanceOf(CairnError);
    expect(error).toMatchObject({ name: 'ConfigError', code: 'invalid_config', variable: 'PORT', message: 'PORT: expects a whole number' });
  });
});
