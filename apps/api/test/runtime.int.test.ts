import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { openRuntime } from '../src/index.js';

describe('openRuntime on the embedded database', () => {
  it('loads the starter corpus into an empty database once, and not at all when turned off', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-runtime-'));
    try {
      const off = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'off'), CAIRN_STARTER_CORPUS: 'off' }));
      expect(await off.store.documents.countActive()).toEqual({ documents: 0, chunks: 0 });
      await off.close();

      const lines: string[] = [];
      const first = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'on') }), { log: (line) => lines.push(line) });
      const loaded = await first.store.documents.countActive();
      expect(loaded.documents).toBeGreaterThanOrEqual(30);
      expect(lines).toContainEqual(expect.stringMatching(/^loaded the starter corpus: \d+ notes, \d+ passages$/));
      await first.close();

      // Persisted under CAIRN_DATA_DIR: a restart finds the same documents and loads nothing.
      const again: string[] = [];
      const second = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'on') }), { log: (line) => again.push(line) });
      expect(await second.store.documents.countActive()).toEqual(loaded);
      expect(again.filter((line) => line.startsWith('loaded'))).toEqual([]);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
