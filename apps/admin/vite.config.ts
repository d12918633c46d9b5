import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Built to `dist/`, which the API serves at `/admin` (same origin, no second server).
 * `npm run dev` proxies the API calls to a local `cairn serve` on port 3000.
 */
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: Object.fromEntries(['/v1', '/healthz', '/readyz', '/openapi.json'].map((path) => [path, 'http://127.0.0.1:3000'])),
  },
});
