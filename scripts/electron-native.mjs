// Builds better-sqlite3 for the installed Electron's ABI into .native/electron-<ver>-<os>-<arch>/,
// leaving node_modules' own (Node ABI) build alone, so `npm test` and `npm start` both work from
// one `npm install` in either order. Runs before `npm start` and `npm run dist`; a no-op once built.
// Tries the prebuilt binary first (prebuild-install, as better-sqlite3's own install does), then
// compiles against Electron's headers with node-gyp.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const dirName = `electron-${electronVersion}-${process.platform}-${process.arch}`;
const target = join('.native', dirName, 'better_sqlite3.node');
// electron-builder ships whatever is in .native/package (see electron.builder.yml).
const packaged = join('.native', 'package', 'better_sqlite3.node');
const publish = () => {
  mkdirSync(dirname(packaged), { recursive: true });
  cpSync(target, packaged);
};
if (existsSync(target)) {
  publish();
  process.exit(0);
}

const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'posrecon-native-'));
cpSync(pkgDir, work, { recursive: true, filter: (src) => !src.startsWith(join(pkgDir, 'build')) });

// npm passes its own nodedir (Node's headers) to scripts; an Electron build must not use it.
const env = { ...process.env };
for (const key of Object.keys(env)) if (key.toLowerCase().startsWith('npm_config_node')) delete env[key];

const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, env, stdio: 'inherit' });
try {
  try {
    run(process.execPath, [
      require.resolve('prebuild-install/bin.js', { paths: [pkgDir] }),
      '--runtime=electron',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
    ]);
  } catch {
    console.log('No prebuilt better-sqlite3 for this Electron; compiling it (needs a C++ toolchain)…');
    run(process.platform === 'win32' ? 'npx.cmd' : 'npx', [
      '--yes',
      'node-gyp',
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ]);
  }
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  publish();
  console.log(`better-sqlite3 for Electron ${electronVersion} is ready: ${target}`);
} catch (err) {
  console.error(`Could not build better-sqlite3 for Electron ${electronVersion}: ${err.message}`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
