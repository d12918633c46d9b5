import { defineConfig } from 'vitest/config';

// `npm run bench:check`: every benchmark at quick sizes must complete and print each of its
// rows with a verdict (`.ci/run` runs it after `npm test`). Figures are not asserted.
export default defineConfig({
  test: { root: 'bench', include: ['check/**/*.int.test.ts'], testTimeout: 300_000, hookTimeout: 120_000, fileParallelism: false },
});
