import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native addon, and Electron's ABI differs from Node's. `npm install` builds
 * it for Node (tests, command line); scripts/electron-native.mjs builds a second copy for
 * Electron into .native/ (or the app's resources when packaged), and the app loads that copy via
 * better-sqlite3's `nativeBinding` option. Neither build overwrites the other.
 */
export function electronNativeBinding(opts: {
  packaged: boolean;
  resourcesPath: string;
  appPath: string;
  electronVersion: string;
}): string {
  const file = opts.packaged
    ? join(opts.resourcesPath, 'native', 'better_sqlite3.node')
    : join(opts.appPath, '.native', nativeDirName(opts.electronVersion), 'better_sqlite3.node');
  if (!existsSync(file)) {
    throw new Error(
      `The Electron build of better-sqlite3 is missing at ${file}; run: node scripts/electron-native.mjs`,
    );
  }
  return file;
}

export function nativeDirName(
  electronVersion: string,
  platform = process.platform,
  arch = process.arch,
): string {
  return `electron-${electronVersion}-${platform}-${arch}`;
}
