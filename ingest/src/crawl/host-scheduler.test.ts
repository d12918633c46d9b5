import { describe, expect, it } from 'vitest';
import { HostScheduler } from './host-scheduler.js';

describe('HostScheduler', () => {
  it('runs one task at a time per host, spaced by the delay, and hosts in parallel', async () => {
    const scheduler = new HostScheduler();
    const events: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = (name: string) => async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      events.push(`start ${name} ${Date.now()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
    };
    const started = Date.now();
    await Promise.all([scheduler.run('a', 50, task('a1')), scheduler.run('a', 50, task('a2')), scheduler.run('b', 50, task('b1'))]);
    const startOf = (name: string) => Number(events.find((event) => event.startsWith(`start ${name} `))!.split(' ')[2]);
    expect(startOf('a2') - startOf('a1')).toBeGreaterThanOrEqual(55);
    expect(startOf('b1') - started).toBeLessThan(40);
    expect(maxRunning).toBe(2);
  });

  it('stops waiting for a turn as soon as the signal aborts, runs nothing for it, and keeps the order of the rest', async () => {
    const scheduler = new HostScheduler();
    const ran: string[] = [];
    await scheduler.run('a', 0, async () => void ran.push('first'));
    const stop = new AbortController();
    const started = Date.now();
    // The second would wait out a minute's politeness delay; a third, with no signal, waits behind it.
    const waiting = scheduler.run('a', 60_000, async () => void ran.push('second'), stop.signal);
    const after = scheduler.run('a', 0, async () => void ran.push('third'));
    setTimeout(() => stop.abort('stopped by SIGTERM'), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await after;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(ran).toEqual(['first', 'third']);
    // Already aborted: nothing waits and nothing runs.
    await expect(scheduler.run('b', 0, async () => void ran.push('never'), AbortSignal.abort())).rejects.toBeDefined();
    expect(ran).not.toContain('never');
  });
});
