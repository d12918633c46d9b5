import { afterEach, describe, expect, it } from 'vitest';
import { abortable } from './types.js';

describe('abortable', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', record);
    unhandled.length = 0;
  });

  it('rejects at once with the reason of a signal aborted already, and leaves no rejection of the work unhandled', async () => {
    process.on('unhandledRejection', record);
    const controller = new AbortController();
    const reason = new Error('the client disconnected');
    controller.abort(reason);
    // Signal-aware work that fails later with the same reason, as retrieve() does (probe 33 H1).
    const work = new Promise<never>((_resolve, reject) => setTimeout(() => reject(reason), 5));
    await expect(abortable(work, controller.signal)).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(unhandled).toEqual([]);
  });

  it('rejects when the signal aborts first, resolves with the work otherwise', async () => {
    const controller = new AbortController();
    const slow = new Promise((resolve) => setTimeout(() => resolve('late'), 20));
    const pending = abortable(slow, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(abortable(Promise.resolve(3), new AbortController().signal)).resolves.toBe(3);
  });
});
