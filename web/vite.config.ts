// Builds the dashboard (web/index.html + web/src) into dist/web, which `calltrove serve` serves at /.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  // `npx vite web` during development: the API runs under `calltrove serve` on port 3000.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
