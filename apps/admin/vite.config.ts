import { writeFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { inputsHash, stampFile } from './scripts/build-if-stale.js';

/** Records what the build was made from, so that `npm start` can tell that dist/ is current (scripts/build-if-stale.ts). */
const recordBuildInputs: Plugin = {
  name: 'cairn-record-build-inputs',
  apply: 'build',
  closeBundle() {
    writeFileSync(stampFile, `${inputsHash()}\n`);
  },
};

/**
 * Built to `dist/`, which the API serves at `/admin` (same origin, no second server).
 * `npm run dev` proxies the API calls to a local `cairn serve` on port 3000.
 */
export default defineConfig({
  base: '/admin/',
  plugins: [react(), recordBuildInputs],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    // The API `cairn serve` runs: its PORT (3000 unless set), or CAIRN_API_URL.
    proxy: Object.fromEntries(
      ['/v1', '/healthz', '/readyz', '/openapi.json'].map((path) => [
        path,
        process.env.CAIRN_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`,
      ]),
    ),
  },
});
