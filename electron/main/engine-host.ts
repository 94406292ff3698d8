import type { Delivered } from '../../shared/api';
import { FileRegistry } from '../engine/api/files';
import { createHandlers, type Dispatched, dispatch, type Handlers } from '../engine/api/handlers';
import { backupDir, dailyBackup, restoreBackup } from '../engine/store/backup';
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
/** Why the database is not open, as every call is then answered. */
let refusal = { zh: '数据库尚未打开。', en: 'The database is not open yet.' };

function open(): void {
  try {
    db = openDatabase(start.dbPath, { nativeBinding: start.nativeBinding });
  } catch (err) {
    const error =
      err instanceof DatabaseRefusedError
        ? { zh: err.zh, en: err.en }
        : { zh: `无法打开数据库：${String(err)}`, en: `Cannot open the database: ${String(err)}` };
    refusal = error;
    post({ type: 'refused', error });
    return;
  }
  handlers = createHandlers({
    db,
    dbPath: start.dbPath,
    fileStore: fileStoreDir(start.dbPath),
    user: start.user,
    files,
    deliver: (name, bytes): Promise<Delivered> =>
      new Promise((resolve) => {
        const id = nextDelivery++;
        pendingDeliveries.set(id, (savedTo) => resolve({ name, savedTo, downloadUrl: null }));
        post({ type: 'deliver', id, name, bytes });
      }),
  });
  // A failed daily backup (a full disk) must not stop the engine; the next start tries again.
  dailyBackup(db, backupDir(start.dbPath)).catch(() => undefined);
  post({ type: 'ready' });
}

const refused = (): Dispatched => ({ ok: false, error: { code: 'refused', ...refusal } });

/** Answers one request from main; whatever goes wrong, main gets an answer. */
async function answer(m: Exclude<ToHost, { type: 'delivered' }>): Promise<Dispatched> {
  if (m.type === 'call') {
    const current = db;
    return handlers && current
      ? dispatch(handlers, m.channel, m.req, () => current.inTransaction)
      : refused();
  }
  if (m.type === 'grant') return { ok: true, value: m.paths.map((p) => files.grant(p)) };
  // restore: refused mid-import; else close, replace after the check, open again.
  if (db?.inTransaction) {
    return {
      ok: false,
      error: {
        code: 'refused',
        zh: '正在导入文件，请在导入完成后再恢复。',
        en: 'An import is running; restore when it finishes.',
      },
    };
  }
  db?.close();
  db = null;
  handlers = null;
  try {
    const kept = restoreBackup(start.dbPath, m.file, { nativeBinding: start.nativeBinding });
    return { ok: true, value: kept };
  } catch (err) {
    const e =
      err instanceof DatabaseRefusedError
        ? err
        : new DatabaseRefusedError('corrupt', String(err), String(err));
    return { ok: false, error: { code: 'refused', zh: e.zh, en: e.en } };
  } finally {
    open();
  }
}

port.on('message', (event: { data: ToHost }) => {
  const m = event.data;
  void (async () => {
    if (m.type === 'delivered') {
      pendingDeliveries.get(m.id)?.(m.savedTo);
      pendingDeliveries.delete(m.id);
      return;
    }
    let result: Dispatched;
    try {
      result = await answer(m);
    } catch (err) {
      result = {
        ok: false,
        error: { code: 'internal', zh: `内部错误：${String(err)}`, en: `Internal error: ${String(err)}` },
      };
    }
    post({ type: 'result', id: m.id, result });
  })();
});

open();
