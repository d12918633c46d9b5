/** Runs a request to a host when that host's turn comes (politeness). */
export interface HostGate {
  /**
   * Runs `task` once no other request to `host` is in progress and `delayMs` has passed
   * since the last one ended.
   */
  run<T>(host: string, delayMs: number, task: () => Promise<T>): Promise<T>;
}

/**
 * Per-host politeness within one process: one request at a time per host, with at least
 * `delayMs` between the end of one and the start of the next. Different hosts proceed in
 * parallel. Several processes share a host through SharedHostScheduler.
 */
export class HostScheduler implements HostGate {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastFinished = new Map<string, number>();

  async run<T>(host: string, delayMs: number, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => tail);
    this.tails.set(host, chained);
    await previous;
    try {
      const wait = (this.lastFinished.get(host) ?? 0) + delayMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return await task();
    } finally {
      this.lastFinished.set(host, Date.now());
      release();
      // The last in line leaves no entry behind: a long-lived worker meets many hosts.
      if (this.tails.get(host) === chained) this.tails.delete(host);
    }
  }
}
