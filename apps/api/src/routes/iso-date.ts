/** A timestamp as the API writes it (ISO 8601), or null. */
export function isoDate(date: Date | null): string | null {
  return date ? new Date(date).toISOString() : null;
}
