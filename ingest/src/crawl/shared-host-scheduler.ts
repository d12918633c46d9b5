import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as ioredis from 'ioredis';
import type { Redis } from 'ioredis';
import { abortable } from '@cairn/core';
import { HostScheduler, pause, type HostGate } from './host-scheduler.js';

// Holds the host for `delay` more milliseconds after a request ends, if the holder is still
// this token: the next request to the host, from any process, waits for the key to expire.
const releaseScript = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  if tonumber(ARGV[2]) > 0 then
    return redis.call('pexpire', KEYS[1], ARGV[2])
  end
  return redis.call('del', KEYS[1])
end
return 0`;

// Extends the lease while the request runs, if the holder is still this token.
const renewScript = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;

export interface SharedHostSchedulerOptions {
  /** Key prefix in Redis (the queue prefix, so that test runs do not meet). */
  prefix?: string;
  /**
   * How long a host stays held after its holder dies mid-request (killed, or cut off from
   * Redis): a live holder renews the lease every third of it while its request runs, so
   * the lease can be short and a dead holder blocks the host only briefly.
   */
  leaseMs?: number;
  /** Longest wait between two attempts to take a busy host. */
  pollMs?: number;
}

/**
 * Per-host politeness across processes: every worker that crawls a host takes the same
 * Redis key for the length of a request and leaves it held for the crawl delay after,
 * so that one request at a time reaches a host, with the delay, however many workers
 * (and crawls within them) there are. Within a process requests also queue locally, so
 * only one of them at a time polls Redis for a host.
 */
export class SharedHostScheduler implements HostGate {
  private readonly local = new HostScheduler();
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(redisUrl: string, options: SharedHostSchedulerOptions = {}) {
    // While Redis is away, commands wait for it (the crawl pauses) rather than fail the crawl;
    // reconnect at least once a second, so that a crawl resumes soon after Redis returns.
    // ioredis is loaded here, when a crawl shares its politeness through Redis, not by every
    // process that imports the crawler (the embedded default never needs it).
    const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof ioredis;
    this.redis = new RedisClient(redisUrl, {
      maxRetriesPerRequest: null,
      lazyConnect: true,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    // Connection errors are retried above; without a listener ioredis prints each one.
    this.redis.on('error', () => undefined);
    this.prefix = options.prefix ?? 'cairn';
    this.leaseMs = options.leaseMs ?? 5000;
    this.pollMs = options.pollMs ?? 50;
  }

  run<T>(host: string, delayMs: number, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.local.run(
      host,
      0,
      async () => {
        const key = `${this.prefix}:host:${host}`;
        const token = randomUUID();
        // Each step gives way to the signal: while Redis is away its commands wait for its return, and a lease
        // another process holds may run for the host's whole delay.
        for (;;) {
          if ((await abortable(this.redis.set(key, token, 'PX', this.leaseMs, 'NX'), signal)) === 'OK') break;
          const remaining = await abortable(this.redis.pttl(key), signal);
          await pause(Math.min(this.pollMs, Math.max(remaining, 1)), signal);
        }
        const renewal = setInterval(
          () => {
            void this.redis.eval(renewScript, 1, key, token, String(this.leaseMs)).catch(() => undefined);
          },
          Math.max(50, Math.floor(this.leaseMs / 3)),
        );
        try {
          return await task();
        } finally {
          clearInterval(renewal);
          // Should Redis fail here, the lease runs out on its own; the request itself succeeded.
          await this.redis.eval(releaseScript, 1, key, token, String(Math.max(0, Math.round(delayMs)))).catch(() => undefined);
        }
      },
      signal,
    );
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
