import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testRedisUrl } from '@cairn/testing';
import { SharedHostScheduler } from '../src/index.js';

interface Span {
  host: string;
  start: number;
  end: number;
}

/** Runs `count` tasks of `durationMs` for `host` on a scheduler, recording when each ran. */
function runTasks(scheduler: SharedHostScheduler, host: string, count: number, delayMs: number, spans: Span[], durationMs = 15) {
  return Array.from({ length: count }, () =>
    scheduler.run(host, delayMs, async () => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, durationMs));
      spans.push({ host, start, end: Date.now() });
    }),
  );
}

describe('SharedHostScheduler, with real Redis', () => {
  it('lets one request at a time reach a host across processes, spaced by the delay, and other hosts in parallel', async () => {
    const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;
    // Two schedulers with their own Redis connections stand for two worker processes.
    const first = new SharedHostScheduler(testRedisUrl(), { prefix, pollMs: 5 });
    const second = new SharedHostScheduler(testRedisUrl(), { prefix, pollMs: 5 });
    const spans: Span[] = [];
    try {
      await Promise.all([
        ...runTasks(first, 'a.example', 4, 60, spans),
        ...runTasks(second, 'a.example', 4, 60, spans),
        ...runTasks(second, 'b.example', 1, 60, spans, 200),
      ]);
      const onA = spans.filter((span) => span.host === 'a.example').sort((x, y) => x.start - y.start);
      expect(onA).toHaveLength(8);
      for (let index = 1; index < onA.length; index += 1) {
        // Redis expires the held key no earlier than the delay; allow the clocks a millisecond.
        expect(onA[index]!.start - onA[index - 1]!.end).toBeGreaterThanOrEqual(59);
      }
      // b.example did not wait for a.example: its long task overlapped a.example's queue.
      const onB = spans.find((span) => span.host === 'b.example')!;
      expect(onA.some((span) => span.start < onB.end && span.end > onB.start)).toBe(true);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('keeps a host held through a request longer than the lease (renewed while it runs)', async () => {
    const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;
    const slow = new SharedHostScheduler(testRedisUrl(), { prefix, leaseMs: 200, pollMs: 5 });
    const other = new SharedHostScheduler(testRedisUrl(), { prefix, leaseMs: 200, pollMs: 5 });
    try {
      let finished = 0;
      let started!: () => void;
      const holding = new Promise<void>((resolve) => (started = resolve));
      const first = slow.run('d.example', 0, async () => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 700));
        finished = Date.now();
      });
      await holding;
      let entered = 0;
      await other.run('d.example', 0, async () => {
        entered = Date.now();
      });
      await first;
      expect(entered).toBeGreaterThanOrEqual(finished);
    } finally {
      await slow.close();
      await other.close();
    }
  });

  it('takes a host back when its holder died mid-request (the lease runs out)', async () => {
    const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;
    const dead = new SharedHostScheduler(testRedisUrl(), { prefix, leaseMs: 300, pollMs: 5 });
    const alive = new SharedHostScheduler(testRedisUrl(), { prefix, leaseMs: 300, pollMs: 5 });
    try {
      // The holder never finishes its request (a killed process never releases).
      let started!: () => void;
      const holding = new Promise<void>((resolve) => (started = resolve));
      void dead.run('c.example', 0, () => {
        started();
        return new Promise(() => undefined);
      });
      await holding;
      // The process dies: its connection goes, and with it the renewals.
      await dead.close();
      const waitedFrom = Date.now();
      await alive.run('c.example', 0, async () => undefined);
      expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(200);
    } finally {
      await alive.close();
      await dead.close();
    }
  });
});
