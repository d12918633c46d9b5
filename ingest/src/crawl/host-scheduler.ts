/**
 * Per-host politeness: one request at a time per host, with at least `delayMs` between
 * the end of one and the start of the next. Different hosts proceed in parallel.
 */
export class HostScheduler {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastFinished = new Map<string, number>();

  async run<T>(host: string, delayMs: number, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    this.tails.set(host, previous.then(() => tail));
    await previous;
    try {
      const wait = (this.lastFinished.get(host) ?? 0) + delayMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return await task();
    } finally {
      this.lastFinished.set(host, Date.now());
      release();
    }
  }
}
