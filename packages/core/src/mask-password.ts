/** Hides the password in a connection URL (DATABASE_URL, REDIS_URL) for messages and logs. */
export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(malformed URL)';
  }
}
