import { createRequire } from 'node:module';
import type { CronExpressionParser } from 'cron-parser';
import { CairnError } from '@cairn/core';

let parser: typeof CronExpressionParser | undefined;

/** cron-parser (with luxon, which it loads), loaded at the first schedule checked rather than in every start (about 50 ms). */
function cronParser(): typeof CronExpressionParser {
  parser ??= (createRequire(import.meta.url)('cron-parser') as { CronExpressionParser: typeof CronExpressionParser }).CronExpressionParser;
  return parser;
}

/**
 * Refuses a schedule the ingestion queue could not run, with 400 `invalid_schedule`: it is
 * parsed as BullMQ parses a repeat pattern (cron-parser, in UTC), so that what passes here
 * is what the queue accepts, and it must fire at least once (`0 0 30 2 *` never does).
 */
export function checkSchedule(schedule: string): void {
  // cron-parser also takes a sixth field (seconds) and an empty pattern; the documented form is five fields.
  const fields = schedule.trim().split(/\s+/).filter(Boolean).length;
  if (fields !== 5) {
    throw new CairnError(
      'invalid_schedule',
      `body.schedule: ${JSON.stringify(schedule)} has ${fields} fields; a schedule is five, in UTC: minute, hour, day, month, weekday, such as "0 3 * * *".`,
    );
  }
  try {
    cronParser().parse(schedule, { tz: 'UTC', currentDate: new Date() }).next();
  } catch (error) {
    throw new CairnError(
      'invalid_schedule',
      `body.schedule: ${JSON.stringify(schedule)} is not a cron expression the queue can run (${(error as Error).message}); five fields in UTC with minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7, such as "0 3 * * *".`,
    );
  }
}

/**
 * Refuses a URL that the crawler could not fetch, with 400 `invalid_url`: it must parse
 * (`new URL`), be http or https, and name a host. The schema's `^https?://` lets `http://`
 * and `http://a b/` through. Credentials in it (`https://user:pass@host/`) are refused too.
 */
export function checkUrl(url: string, field: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname) {
    throw new CairnError(
      'invalid_url',
      `${field}: ${JSON.stringify(url)} is not an http or https URL with a host; send a whole URL such as "https://example.com/blog/".`,
    );
  }
  // A source's addresses are shown to every key that lists sources (MCP's list_sources reads with ask).
  if (parsed.username || parsed.password) {
    throw new CairnError(
      'invalid_url',
      `${field}: a source's URL may not carry a user name or password (it is stored and shown with the source); serve the pages without them.`,
    );
  }
}

/** The checks of a new source's settings, or of those a change sets, beyond the schema's. */
export function checkSourceSettings(settings: { baseUrl?: string; seeds?: readonly string[]; schedule?: string | null }): void {
  if (settings.baseUrl !== undefined) checkUrl(settings.baseUrl, 'body.baseUrl');
  settings.seeds?.forEach((seed, index) => checkUrl(seed, `body.seeds.${index}`));
  if (typeof settings.schedule === 'string') checkSchedule(settings.schedule);
}
