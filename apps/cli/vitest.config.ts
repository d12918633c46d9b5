import { configDefaults, defineConfig } from 'vitest/config';

// The quick benches are not part of `npm test`: `npm run bench:check` runs them (bench/vitest.config.ts).
export default defineConfig({
  test: { exclude: [...configDefaults.exclude, 'bench/**'] },
});
