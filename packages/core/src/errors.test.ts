import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CairnError, errorCodes, type ErrorCode } from './errors.js';

describe('error codes', () => {
  const documentation = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

  it.each(Object.entries(errorCodes))('documents %s with its status in docs/errors.md', (code, { status }) => {
    expect(documentation).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it('gives each CairnError the status of its code', () => {
    for (const code of Object.keys(errorCodes) as ErrorCode[]) {
      expect(new CairnError(code, 'x').statusCode).toBe(errorCodes[code].status);
    }
  });
});
