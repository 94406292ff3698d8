import type { Delivered } from '../../shared/api';
import { FileRegistry } from '../engine/api/files';
import { createHandlers, dispatch, type Handlers } from '../engine/api/handlers';
import { backupDir, backupNow, dailyBackup, restoreBackup } from '../engine/store/backup';
import { DatabaseRefusedError, type Db, openDatabase } from '../engine/store/database';
import { fileStoreDir } from '../engine/store/paths';
import type { FromHost, HostStart, ToHost } from './engine-protocol';

// The engine's utility process: opens the database, answers the API contract, and asks the main
// process only for what needs a window (the save dialog).

const port = process.parentPort;
const start = JSON.parse(process.argv.at(-1) ?? '{}') as HostStart;
const post = (m: FromHost) => port.postMessage(m);
const files = new FileRegistry();
const pendingDeliveries = new Map<number, (savedTo: string | null) => void>();
let nextDelivery = 1;
let db: Db | null = null;
let handlers: Handlers | null = null;

function open(): void {
  try {
    db = openDatabase(start.dbPath, { nativeBinding: start.nativeBinding });
  } catch (err) {
    const error =
      err instanceof DatabaseRefusedError
        ? { zh: err.zh, en: err.en }
        : { zh: `无法打开数据库：${String(err)}`, en: `Cannot open the database: ${String(err)}` };
    post({ type: 'refused', error });
    return;
  }
  handlers = createHandlers({
    db,
    dbPath: start.dbPath,
    fileStore: fileStoreDir(start.dbPath),
    user: start.user,
    files,
    pickFiles: async () => [],
    deliver: (name, bytes): Promise<Delivered> =>
      new Promise((resolve) => {
        const id = nextDelivery++;
        pendingDeliveries.set(id, (savedTo) => resolve({ name, savedTo, downloadUrl: null }));
        post({ type: 'deliver', id, name, bytes });
      }),
  });
  void dailyBackup(db, backupDir(start.dbPath));
  post({ type: 'ready' });
}

const refusedResult = {
  ok: false as const,
  error: { code: 'refused' as const, zh: '数据库未打开。', en: 'The database is not open.' },
};

port.on('message', (event: { data: ToHost }) => {
  const m = event.data;
  void (async () => {
    if (m.type === 'delivered') {
      pendingDeliveries.get(m.id)?.(m.savedTo);
      pendingDeliveries.delete(m.id);
      return;
    }
    if (m.type === 'call') {
      const current = db;
      const result =
        handlers && current
          ? await dispatch(handlers, m.channel, m.req, () => current.inTransaction)
          : refusedResult;
      post({ type: 'result', id: m.id, result });
      return;
    }
    if (m.type === 'grant') {
      post({ type: 'result', id: m.id, result: { ok: true, value: m.paths.map((p) => files.grant(p)) } });
      return;
    }
    if (m.type === 'backup') {
      const result = db
        ? { ok: true as const, value: await backupNow(db, backupDir(start.dbPath)) }
        : refusedResult;
      post({ type: 'result', id: m.id, result });
      return;
    }
    // restore: close, replace after the check, open again.
    db?.close();
    db = null;
    handlers = null;
    try {
      const kept = restoreBackup(start.dbPath, m.file, { nativeBinding: start.nativeBinding });
      open();
      post({ type: 'result', id: m.id, result: { ok: true, value: kept } });
    } catch (err) {
      open();
      const e =
        err instanceof DatabaseRefusedError
          ? err
          : new DatabaseRefusedError('corrupt', String(err), String(err));
      post({
        type: 'result',
        id: m.id,
        result: { ok: false, error: { code: 'refused', zh: e.zh, en: e.en } },
      });
    }
  })();
});

open();
