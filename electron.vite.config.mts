import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

const { version } = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as {
  version: string;
};

export default defineConfig({
  main: {
    define: { __APP_VERSION__: JSON.stringify(version) },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          // The engine runs in a utility process of its own, beside the main bundle.
          'engine-host': resolve(import.meta.dirname, 'electron/main/engine-host.ts'),
          // The engine looks for its parse and table workers next to the bundle that loads it. (The
          // integrity worker is the command line's: the app opens its database with the check up
          // front.)
          'parse-worker': resolve(import.meta.dirname, 'electron/engine/import/parse-worker.ts'),
          'table-worker': resolve(import.meta.dirname, 'electron/engine/reconcile/table-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    build: {
      minify: true,
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
