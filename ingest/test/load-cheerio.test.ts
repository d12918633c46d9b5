import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('cheerio is loaded at its first use', () => {
  it('is not loaded by importing @cairn/ingest (the API does at start), and is by the first page parsed', () => {
    // A process of its own: the test runner's own module graph may have cheerio in it already.
    const script = `
      import { createRequire, register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      // Every module resolved through import (a resolve hook) or require (the CommonJS cache).
      const { port1, port2 } = new MessageChannel();
      const imported = [];
      port1.on('message', (url) => imported.push(url));
      port1.unref();
      const hooks = 'let port; export function initialize(data) { port = data.port; } ' +
        'export async function resolve(specifier, context, next) { const result = await next(specifier, context); port.postMessage(result.url); return result; }';
      register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
      const cache = createRequire(import.meta.url).cache;
      const settled = () => new Promise((resolve) => setTimeout(resolve, 200));
      const loaded = () => [...imported, ...Object.keys(cache)].some((file) => file.includes('/node_modules/cheerio/'));
      const ingest = await import('@cairn/ingest');
      await settled();
      const before = loaded();
      const note = ingest.parseHtmlNote('<html><head><title>Sizing teams</title></head><body><main><h1>Sizing teams</h1><p>Six to eight engineers per manager.</p></main></body></html>', 'sizing.html');
      await settled();
      console.log(JSON.stringify({ before, after: loaded(), title: note.title, seen: imported.length > 10 }));
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual({ before: false, after: true, title: 'Sizing teams', seen: true });
  }, 60_000);
});
