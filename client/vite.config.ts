import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The client lives in client/ and is built into client/dist, which server/app.ts serves at '/'.
// base '/' because the server answers every non-API path with index.html (deep links keep working).
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The map library is most of the bundle; report sizes without failing the build.
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
  server: {
    // `vite --config client/vite.config.ts` during development: forward data requests to the express server.
    proxy: { '/api': 'http://localhost:8080', '/tiles': 'http://localhost:8080', '/profile': 'http://localhost:8080' },
  },
});
