import { type BrowserWindow, dialog, utilityProcess } from 'electron';
import type { Bilingual } from '../../shared/records';
import type { Dispatched } from '../engine/api/handlers';
import type { FromHost, HostStart, Request, ToHost } from './engine-protocol';

const ENGINE_GONE = {
  zh: 'PosRecon 的数据处理进程意外退出，请重新打开应用。',
  en: 'PosRecon’s engine process stopped unexpectedly; open the app again.',
};

/** The main process's side of the engine's utility process: requests out, results back. */
export class EngineClient {
  private readonly child;
  private readonly waiting = new Map<number, (r: Dispatched) => void>();
  private nextId = 1;
  refused: Bilingual | null = null;

  constructor(hostScript: string, start: HostStart, window: () => BrowserWindow | null) {
    this.child = utilityProcess.fork(hostScript, [JSON.stringify(start)], { serviceName: 'PosRecon engine' });
    this.child.on('message', (m: FromHost) => {
      if (m.type === 'refused') this.refused = m.error;
      else if (m.type === 'ready') this.refused = null;
      else if (m.type === 'result') {
        this.waiting.get(m.id)?.(m.result);
        this.waiting.delete(m.id);
      } else if (m.type === 'deliver') void this.save(m, window());
    });
    // A crashed engine must not leave requests waiting forever: answer them, and every later one.
    this.child.on('exit', () => {
      this.refused = ENGINE_GONE;
      for (const resolve of this.waiting.values())
        resolve({ ok: false, error: { code: 'internal', ...ENGINE_GONE } });
      this.waiting.clear();
    });
  }

  /** A save dialog for a file the engine made (an evidence bundle, an export). */
  private async save(m: Extract<FromHost, { type: 'deliver' }>, win: BrowserWindow | null) {
    const options = { defaultPath: m.name };
    const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    let savedTo: string | null = null;
    try {
      if (!choice.canceled && choice.filePath) {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(choice.filePath, m.bytes);
        savedTo = choice.filePath;
      }
    } catch (err) {
      // A file still open in Excel cannot be overwritten: say so, and let the export finish unsaved.
      await dialog.showMessageBox({ type: 'error', message: String(err) });
    } finally {
      this.send({ type: 'delivered', id: m.id, savedTo });
    }
  }

  private send(m: ToHost) {
    this.child.postMessage(m);
  }

  request(r: Request): Promise<Dispatched> {
    const id = this.nextId++;
    if (this.refused === ENGINE_GONE)
      return Promise.resolve({ ok: false, error: { code: 'internal', ...ENGINE_GONE } });
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ ...r, id } as ToHost);
    });
  }

  stop(): void {
    this.child.kill();
  }
}
