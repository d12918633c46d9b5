const isoDate =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?(?:\s+[A-Z]{2,5})?)?$/i;
const slashDate = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const monthFirst = /^(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;
const dayFirst = /^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$/i;
const leadIn = /^(?:(?:published|posted|written|updated|date)(?:\s+on)?\s*:?\s+)/i;
const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** 1 to 12 for a month's full name or an abbreviation of at least three letters ("Sep", "Sept"); else null. */
function monthNumber(name: string): number | null {
  const lower = name.toLowerCase();
  if (lower.length < 3) return null;
  const index = monthNames.findIndex((month) => month.startsWith(lower));
  return index < 0 ? null : index + 1;
}

/** A UTC date from its parts, or null when a part is out of range (2021-02-30, 25:00). */
function utcDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): Date | null {
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond));
  // Date.UTC rolls 30 February over into March; a real date survives the round trip.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

function offsetMinutes(zone: string | undefined): number | null {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 14 || minutes > 59) return null;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Parses a publication date as pages write it: ISO 8601 (`2023-04-11`,
 * `2023-04-11T08:00:00-07:00`, Hugo's `2023-04-11 08:00:00 +0000 UTC`), `2023/04/11`,
 * `April 11, 2023` or `11 Apr 2023` (optionally after "Posted on"). A date without a
 * time zone is read as UTC, so the result never depends on the machine's zone. Anything
 * else, or an impossible date, is null: `new Date(text)` guesses at free text
 * differently per engine, and a wrong date is worse than none.
 */
export function parsePublishedDate(text: string | null | undefined): Date | null {
  if (!text) return null;
  const value = text.trim().replace(/\s+/g, ' ').replace(leadIn, '');
  const iso = isoDate.exec(value);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso;
    const offset = offsetMinutes(zone);
    if (offset === null) return null;
    const millisecond = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
    const date = utcDate(
      Number(year),
      Number(month),
      Number(day),
      Number(hour ?? 0),
      Number(minute ?? 0),
      Number(second ?? 0),
      millisecond,
    );
    return date ? new Date(date.getTime() - offset * 60_000) : null;
  }
  const slash = slashDate.exec(value);
  if (slash) return utcDate(Number(slash[1]), Number(slash[2]), Number(slash[3]));
  const named = monthFirst.exec(value);
  if (named) {
    const month = monthNumber(named[1]!);
    return month ? utcDate(Number(named[3]), month, Number(named[2])) : null;
  }
  const dayNamed = dayFirst.exec(value);
  if (dayNamed) {
    const month = monthNumber(dayNamed[2]!);
    return month ? utcDate(Number(dayNamed[3]), month, Number(dayNamed[1])) : null;
  }
  return null;
}
