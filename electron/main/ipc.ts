import type { IpcMainInvokeEvent, OpenDialogOptions } from 'electron';
import { CHANNELS, DROPPED_FILES } from '../../shared/api';
import type { EngineClient } from './engine-client';
import { isAppPage } from './sender';

const refusal = (zh: string, en: string) => new Error(JSON.stringify({ code: 'refused', zh, en }));

/** The parts of Electron the handlers use, passed in so that the wiring is testable. */
export interface Shell {
  /** ipcMain.handle */
  handle(channel: string, listener: (event: IpcMainInvokeEvent, req: unknown) => Promise<unknown>): void;
  /** dialog.showOpenDialog, for the window when there is one */
  openDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
}

/**
 * Registers one handler per contract channel (Electron refuses a second handler for a name), each checking that the
 * message comes from the app's own page before the engine sees it. Requests are validated in the
 * engine (zod schemas); file paths arrive only from the open dialog or a drop, never as typed text.
 */
export function registerApi(
  shell: Shell,
  engine: Pick<EngineClient, 'request' | 'refused'>,
  appUrl: string,
): void {
  const handle = (channel: string, run: (req: unknown) => Promise<unknown>) => {
    shell.handle(channel, async (event: IpcMainInvokeEvent, req: unknown) => {
      if (!isAppPage(event.senderFrame?.url, appUrl)) {
        throw refusal(
          '拒绝：请求不是来自 PosRecon 页面。',
          'Refused: the request did not come from the PosRecon page.',
        );
      }
      if (engine.refused) throw new Error(JSON.stringify({ code: 'refused', ...engine.refused }));
      return run(req);
    });
  };
  const unwrap = async (p: ReturnType<EngineClient['request']>) => {
    const r = await p;
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  };
  for (const channel of CHANNELS) {
    if (channel === 'files.pick') {
      handle(channel, async () => {
        const choice = await shell.openDialog({
          properties: ['openFile', 'multiSelections'],
          filters: [{ name: 'CSV / Excel', extensions: ['csv', 'txt', 'xls', 'xlsx'] }],
        });
        return choice.canceled ? [] : unwrap(engine.request({ type: 'grant', paths: choice.filePaths }));
      });
    } else handle(channel, (req) => unwrap(engine.request({ type: 'call', channel, req })));
  }
  handle(DROPPED_FILES, (paths) => {
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.length > 0)) {
      throw refusal('拖入的文件无效。', 'The dropped files are not valid.');
    }
    return unwrap(engine.request({ type: 'grant', paths }));
  });
}
