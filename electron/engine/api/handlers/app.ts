import { statSync } from 'node:fs';
import { backupDir, backupNow, listBackups } from '../../store/backup';
import { APP_VERSION } from '../../version';
import type { EngineContext, Handlers } from './context';

// The application itself: what it is, which files the user chose, backups.

export function appHandlers(
  ctx: EngineContext,
): Pick<Handlers, 'app.info' | 'files.pick' | 'backups.list' | 'backups.create'> {
  const { db } = ctx;
  return {
    'app.info': () => ({
      version: APP_VERSION,
      dbPath: ctx.dbPath,
      user: ctx.user,
    }),
    // The desktop shell answers this itself with the system's open dialog (main/ipc.ts); a browser
    // uploads its files instead.
    'files.pick': () => [],
    'backups.list': () =>
      listBackups(backupDir(ctx.dbPath))
        .reverse()
        .map((file) => ({ file, size: statSync(file).size })),
    'backups.create': async () => ({ file: await backupNow(db, backupDir(ctx.dbPath)) }),
  };
}
