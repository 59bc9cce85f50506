import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// The client lives in client/ and is built into client/dist, which server/app.ts serves at '/'.
// base '/' because the server answers every non-API path with index.html (deep links keep working).
const root = fileURLToPath(new URL('.', import.meta.url));

/** Text files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|map|webmanifest)$/;

/**
 * Precompresses the build: a .br (brotli, quality 11) and a .gz (gzip, level 9) next to every
 * compressible file above 1 KB, written once at build time, so the server
 * (server/http/static-client.ts) sends the smallest variant a browser accepts without
 * compressing on every request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'sozialatlas-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
          d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)],
        );
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file) || statSync(file).size < 1024) continue;
        const data = readFileSync(file);
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
          }),
        );
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [precompress()],
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
