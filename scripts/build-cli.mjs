// Bundles the command line and its workers for Node with esbuild. better-sqlite3 (native)
// and the other runtime dependencies stay external and load from node_modules.
import { build } from 'esbuild';

const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')));

await build({
  entryPoints: {
    posrecon: 'electron/cli/index.ts',
    launch: 'electron/cli/launch.ts',
    'parse-worker': 'electron/engine/import/parse-worker.ts',
    'integrity-worker': 'electron/engine/store/integrity-worker.ts',
    'table-worker': 'electron/engine/reconcile/table-worker.ts',
  },
  outdir: 'out/cli',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: Object.keys(pkg.dependencies),
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
