// What every group of handlers works with: the database, the chosen files, and what the transport
// provides (delivering a generated file).

import type { Channel, Delivered, Req, Res } from '../../../../shared/api';
import type { Db } from '../../store/database';
import { notFound } from '../errors';
import type { FileRegistry } from '../files';

/** What a transport (IPC in the desktop app, HTTP in `posrecon serve`) provides to the handlers. */
export interface EngineContext {
  db: Db;
  dbPath: string;
  fileStore: string;
  user: string;
  files: FileRegistry;
  /** Hands a generated file to the user: a save dialog, or a download link. */
  deliver(name: string, bytes: Uint8Array): Promise<Delivered>;
}

export type Handlers = { [C in Channel]: (req: Req<C>) => Res<C> | Promise<Res<C>> };

export function fileOf(ctx: EngineContext, fileId: string) {
  const file = ctx.files.get(fileId);
  if (!file)
    throw notFound({
      zh: '找不到这个文件，请重新选择。',
      en: 'That file is no longer known; pick it again.',
    });
  return file;
}
