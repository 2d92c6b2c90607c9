import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type Plugin, defineConfig } from 'vite';

const OUT_DIR = fileURLToPath(new URL('./dist', import.meta.url));
const COMPRESSIBLE = /\.(html|js|css|svg|json)$/;

/**
 * Pre-compresses the built files once, at build time (node:zlib, no dependency): `<file>.br` at
 * brotli's best quality and `<file>.gz` at gzip's, beside each text file, for smmkit serve to pick
 * by Accept-Encoding. A variant no smaller than the original is not written.
 */
function precompress(): Plugin {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: 'smmkit-precompress',
    apply: 'build',
    closeBundle() {
      for (const path of walk(OUT_DIR).filter((p) => COMPRESSIBLE.test(p))) {
        const body = readFileSync(path);
        const br = brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        });
        const gz = gzipSync(body, { level: 9 });
        if (br.length < body.length) writeFileSync(`${path}.br`, br);
        if (gz.length < body.length) writeFileSync(`${path}.gz`, gz);
      }
    },
  };
}

// No React plugin: Vite's own transformer compiles TSX with the automatic JSX runtime; the panel
// needs no fast refresh, and one dependency fewer keeps `npm ci` fast.
export default defineConfig({
  root: fileURLToPath(new URL('./src', import.meta.url)),
  base: '/',
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  plugins: [precompress()],
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/web-api': 'http://127.0.0.1:8080' } },
});
