import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiMallocSettings, apiNodeFlags, withApiMallocSettings } from './api-node-flags.js';

const repositoryFile = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('the API process settings', () => {
  it('adds the allocator settings to an environment, keeping what it sets itself', () => {
    expect(withApiMallocSettings({ PATH: '/usr/bin' })).toEqual({ PATH: '/usr/bin', ...apiMallocSettings });
    const own = withApiMallocSettings({ MALLOC_MMAP_THRESHOLD_: '65536' });
    expect(own.MALLOC_MMAP_THRESHOLD_).toBe('65536');
    expect(own.MALLOC_TRIM_THRESHOLD_).toBe(apiMallocSettings.MALLOC_TRIM_THRESHOLD_);
    // Empty is unset, as in npm start's `${NAME:-value}`.
    expect(withApiMallocSettings({ MALLOC_MMAP_THRESHOLD_: '' }).MALLOC_MMAP_THRESHOLD_).toBe(apiMallocSettings.MALLOC_MMAP_THRESHOLD_);
  });

  it('are the ones npm start and the Docker image run the API with', () => {
    const start = (JSON.parse(repositoryFile('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const dockerfile = repositoryFile('Dockerfile');
    const command = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(command, 'the Dockerfile has a CMD').not.toBeNull();
    expect(JSON.parse(command![1]!)).toEqual(['node', ...apiNodeFlags, 'apps/api/bin/cairn-api.js']);
    // `exec`: the shell npm runs the script in becomes node, so a SIGTERM to npm start's process group reaches the API itself.
    expect(start).toContain(`exec node ${apiNodeFlags.join(' ')} apps/api/bin/cairn-api.js`);
    for (const [name, value] of Object.entries(apiMallocSettings)) {
      expect(start, `npm start sets ${name}`).toContain(`${name}=\${${name}:-${value}}`);
      expect(dockerfile, `the image sets ${name}`).toMatch(new RegExp(`^ENV .*\\b${name}=${value}\\b`, 'm'));
    }
    // docker compose runs the image's CMD for the API rather than a command of its own.
    const api = /\n {2}api:\n([\s\S]*?)\n {2}\w/.exec(repositoryFile('docker-compose.yml'));
    expect(api?.[1]).not.toMatch(/^\s+command:/m);
  });

  it('give the cairn command the WebAssembly tiering budget, the one V8 takes once running', () => {
    const tiering = apiNodeFlags.find((flag) => flag.startsWith('--wasm-tiering-budget='));
    expect(tiering).toBeDefined();
    const launcher = repositoryFile('apps/cli/bin/cairn.js');
    // Set before the launch, so before any WebAssembly module is compiled.
    expect(launcher.indexOf(`setFlagsFromString('${tiering}');`)).toBeGreaterThan(-1);
    expect(launcher.indexOf(`setFlagsFromString('${tiering}');`)).toBeLessThan(launcher.indexOf("await launch('cairn');"));
  });
});
