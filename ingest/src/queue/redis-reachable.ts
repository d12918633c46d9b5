import { ConfigError, maskPassword } from '@cairn/core';
import { Redis } from 'ioredis';

/**
 * Checks at start that REDIS_URL answers (one PING, no retries), so that a process that needs
 * the queue stops with one line naming the variable (ConfigError, exit status 2) rather than
 * retrying in silence for ever (a worker) or failing later with a bare ECONNREFUSED.
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
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const cause = seen ?? error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(
      'REDIS_URL',
      `is ${maskPassword(redisUrl)}, which does not answer (${reason}): start Redis there, or unset REDIS_URL (runs are then crawled, and rate limits counted, in the API process)`,
      { cause: error },
    );
  } finally {
    client.disconnect();
  }
}
