import { ConfigError, maskPassword } from '@cairn/core';
import { Redis } from 'ioredis';

/**
 * Checks at start that REDIS_URL answers (one PING, no retries) and has the database its path
 * names, so that a process that needs the queue stops with one line naming the variable
 * (ConfigError, exit status 2) rather than retrying in silence for ever (a worker), failing
 * later with a bare ECONNREFUSED, or working in database 0 when the one named does not exist
 * (ioredis selects the URL's database as it connects and reports a refusal, "DB index is out
 * of range", only as an error event: its next commands go to database 0, where another
 * deployment's queue may be).
 */
export async function assertRedisReachable(redisUrl: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The connection's own error (ECONNREFUSED, ENOTFOUND): what connect() rejects with is only "Connection is closed".
  let seen: Error | undefined;
  client.on('error', (error: Error) => {
    seen ??= error;
  });
  const database = Number(new URL(redisUrl).pathname.slice(1) || 0);
  const shown = maskPassword(redisUrl);
  try {
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      const cause = seen ?? error;
      throw new ConfigError(
        'REDIS_URL',
        `is ${shown}, which does not answer (${cause instanceof Error ? cause.message : String(cause)}): start Redis there, or unset REDIS_URL (runs are then crawled, and rate limits counted, in the API process)`,
        { cause: error },
      );
    }
    if (database > 0)
      await client.select(database).catch((error: unknown) => {
        throw new ConfigError(
          'REDIS_URL',
          `is ${shown}, whose database ${database} this Redis does not have (${(error as Error).message}): name one it has (0 to 15 by default)`,
          { cause: error },
        );
      });
  } finally {
    client.disconnect();
  }
}
