/**
 * What a failed run records as its error (`GET /v1/ingest/runs/:id` shows it to any admin):
 * the error's message, but for a database error (one with a SQLSTATE code) a sentence that
 * names the code and no SQL text, constraint or table: the process's log has the error whole.
 */
export function runFailureText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  // SQLSTATE classes begin with a digit, or are F0, HV, P0 or XX: never Node's E… codes (EPIPE, EBUSY).
  if (typeof code === 'string' && /^(?:[0-9][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/.test(code)) {
    if (code === '23503')
      return 'a page could not be stored: what it belongs to (its source) was deleted during the run (SQLSTATE 23503; the server log has the details)';
    return `a database error stopped the run (SQLSTATE ${code}; the server log has the details)`;
  }
  return error instanceof Error ? error.message : String(error);
}
