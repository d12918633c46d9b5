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
});
