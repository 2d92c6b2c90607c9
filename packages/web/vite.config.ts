import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// No React plugin: Vite's own transformer compiles TSX with the automatic JSX runtime; the panel
// needs no fast refresh, and one dependency fewer keeps `npm ci` fast.
export default defineConfig({
  root: fileURLToPath(new URL('./src', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/web-api': 'http://127.0.0.1:8080' } },
});
