// `npm run test:unit`: the pure suites of every workspace (no database, Redis, browser or
// network), in seconds. Tests that need services are named *.int.test.ts, browser tests
// *.e2e.test.ts; both are left to `npm test`.
import { readdirSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

const exclude = [...configDefaults.exclude, '**/*.int.test.ts', '**/*.e2e.test.ts', '**/dist/**'];
const workspaces = [...readdirSync('packages').map((name) => `packages/${name}`), 'ingest', 'apps/api', 'apps/cli'];

export default defineConfig({
  test: {
    projects: [
      ...workspaces.map((root) => ({ test: { name: root, root, include: ['**/*.test.ts'], exclude } })),
      // The admin UI's component tests, in jsdom as its own config runs them.
      {
        plugins: [react()],
        test: {
          name: 'apps/admin',
          root: 'apps/admin',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          exclude,
          setupFiles: ['./test/setup-dom.ts'],
        },
      },
    ],
  },
});
