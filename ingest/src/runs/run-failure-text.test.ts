import { describe, expect, it } from 'vitest';
import { runFailureText } from './run-failure-text.js';

describe('runFailureText', () => {
  it('keeps a plain error message, and shows no SQL text for a database error', () => {
    expect(runFailureText(new Error('every URL was refused'))).toBe('every URL was refused');
    expect(runFailureText('plain')).toBe('plain');
    const foreignKey = Object.assign(
      new Error('insert or update on table "documents" violates foreign key constraint "documents_source_id_fkey"'),
      { code: '23503' },
    );
    expect(runFailureText(foreignKey)).toMatch(/source\) was deleted/);
    expect(runFailureText(foreignKey)).not.toMatch(/documents|constraint|insert/);
    const other = Object.assign(new Error('relation "chunks" does not exist'), { code: '42P01' });
    expect(runFailureText(other)).toBe('a database error stopped the run (SQLSTATE 42P01; the server log has the details)');
    // Node's own error codes are not SQLSTATEs.
    expect(runFailureText(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('connect ECONNREFUSED');
    expect(runFailureText(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe('write EPIPE');
    expect(runFailureText(Object.assign(new Error('raise in a procedure'), { code: 'P0001' }))).toMatch(/SQLSTATE P0001/);
  });
});
