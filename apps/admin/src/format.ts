const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 days ago", "in 2 hours", "now"; `now` is for tests. */
export function timeAgo(iso: string, now = Date.now()): string {
  const delta = Date.parse(iso) - now;
  for (const [unit, size] of units) {
    if (Math.abs(delta) >= size || unit === 'second') {
      const value = Math.round(delta / size);
      return unit === 'second' && Math.abs(value) < 10 ? 'just now' : relative.format(value, unit);
    }
  }
  return iso;
}

/** A timestamp as a readable local date and time. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A calendar date. */
export function dateOnly(iso: string): string {
  return new Date(iso).toLocaleDateString('en', { dateStyle: 'medium' });
}

/** A duration in milliseconds as "850 ms", "4.2 s" or "3 min 5 s". */
export function duration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const minutes = Math.floor(milliseconds / 60_000);
  return `${minutes} min ${Math.round((milliseconds % 60_000) / 1000)} s`;
}
