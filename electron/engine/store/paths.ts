import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The product folder name: Electron's app.getPath('userData') resolves to the same folder, so the
 *  command line and the desktop app share one database by default. */
export const APP_FOLDER = 'PosRecon';
export const DB_FILE_NAME = 'posrecon.sqlite';

/** The OS's per-user application data folder, as Electron computes it. */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || join(homedir(), '.config');
}

/** --db wins, then POSRECON_DB, then the per-user default. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.POSRECON_DB ?? join(appDataDir(env), APP_FOLDER, DB_FILE_NAME);
}

/** Original files are kept content-addressed in a folder beside the database they belong to. */
export function fileStoreDir(dbPath: string): string {
  return `${dbPath}.files`;
}

/** The account signed in to the computer, for case history and report footers: an account without
 *  a name (some containers) reads as the product. */
export function accountName(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? APP_FOLDER;
  }
}
