import { setTimeout as delay } from 'node:timers/promises';
import { abortable } from '@cairn/core';

/** Runs a request to a host when that host's turn comes (politeness). */
export interface HostGate {
  /**
   * Runs `task` once no other request to `host` is in progress and `delayMs` has passed
   * since the last one ended. With `signal`, the wait for that turn ends as soon as it aborts
   * (rejecting with its reason): a run cancelled, or stopped by SIGTERM, while a polite crawl
   * waits out a delay of up to a minute stops at once.
   */
  run<T>(host: string, delayMs: number, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** Resolves after `milliseconds`, or rejects (an AbortError) as soon as the signal aborts, its timer cleared. */
export function pause(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return delay(milliseconds, undefined, signal ? { signal } : undefined);
}

/**
 * Per-host politeness within one process: one request at a time per host, with at least
 * `delayMs` between the end of one and the start of the next. Different hosts proceed in
 * parallel. Several processes share a host through SharedHostScheduler.
 */
export class HostScheduler implements HostGate {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastFinished = new Map<string, number>();

  async run<T>(host: string, delayMs: number, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    // The next in line waits for the one before this too: leaving the line early keeps the order.
    const chained = previous.then(() => tail);
    this.tails.set(host, chained);
    let asked = false;
    try {
      await abortable(previous, signal);
      const wait = (this.lastFinished.get(host) ?? 0) + delayMs - Date.now();
      if (wait > 0) await pause(wait, signal);
      asked = true;
      return await task();
    } finally {
      if (asked) this.lastFinished.set(host, Date.now());
      release();
      // The last in line leaves no entry behind: a long-lived worker meets many hosts.
      if (this.tails.get(host) === chained) this.tails.delete(host);
    }
  }
}
