import { FileRegistry } from '../../electron/engine/api/files';
import { createHandlers, type Handlers } from '../../electron/engine/api/handlers';
import type { Db } from '../../electron/engine/store/database';
import { fileStoreDir } from '../../electron/engine/store/paths';

/** The API's handlers over a database, as a user of this name; exports are handed back, not saved. */
export function testHandlers(db: Db, dbPath: string, user: string, files = new FileRegistry()): Handlers {
  return createHandlers({
    db,
    dbPath,
    fileStore: fileStoreDir(dbPath),
    user,
    files,
    deliver: async (name) => ({ name, savedTo: null, downloadUrl: null }),
  });
}
