import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { registerApi, type Shell } from '../../../electron/main/ipc';
import { CHANNELS, DROPPED_FILES } from '../../../shared/api';

const APP = 'file:///opt/PosRecon/resources/app.asar/out/renderer/index.html';
type Listener = (event: IpcMainInvokeEvent, req: unknown) => Promise<unknown>;

function wired(opts: { refused?: { zh: string; en: string } } = {}) {
  const handlers = new Map<string, Listener>();
  const requests: unknown[] = [];
  const shell: Shell = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    openDialog: async () => ({ canceled: false, filePaths: ['/home/clerk/清算明细.xlsx'] }),
  };
  registerApi(
    shell,
    {
      refused: opts.refused ?? null,
      request: async (r) => {
        requests.push(r);
        return { ok: true, value: 'engine answer' };
      },
    },
    APP,
  );
  const from = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent;
  return { handlers, requests, from };
}

describe('IPC handlers', () => {
  it('registers exactly the contract channels (and the drop channel), each once', () => {
    const { handlers } = wired();
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS, DROPPED_FILES].sort());
  });

  it('passes the app page’s calls to the engine and refuses any other sender', async () => {
    const { handlers, requests, from } = wired();
    const overview = handlers.get('overview.get')!;
    expect(await overview(from(`${APP}#/review`), { from: '2026-11-05' })).toBe('engine answer');
    expect(requests).toEqual([{ type: 'call', channel: 'overview.get', req: { from: '2026-11-05' } }]);
    await expect(overview(from('https://evil.example/'), {})).rejects.toThrow(/PosRecon/);
    await expect(overview(from('file:///tmp/other.html'), {})).rejects.toThrow(/PosRecon/);
    expect(requests).toHaveLength(1);
  });

  it('paths come only from the open dialog or a drop of real files', async () => {
    const { handlers, requests, from } = wired();
    await handlers.get('files.pick')!(from(APP), { path: '/etc/passwd' });
    expect(requests).toEqual([{ type: 'grant', paths: ['/home/clerk/清算明细.xlsx'] }]);
    await expect(handlers.get(DROPPED_FILES)!(from(APP), [42])).rejects.toThrow(/dropped files/);
    // What getPathForFile gives for a File the page made itself, not one the user dropped.
    await expect(handlers.get(DROPPED_FILES)!(from(APP), [''])).rejects.toThrow(/dropped files/);
    expect(requests).toHaveLength(1);
  });

  it('says why when the database was refused, on every call', async () => {
    const { handlers, from } = wired({ refused: { zh: '数据库正被另一个 PosRecon 使用', en: 'in use' } });
    for (const [channel, handler] of handlers)
      await expect(handler(from(APP), {}), channel).rejects.toThrow(/另一个 PosRecon/);
    expect(handlers.size).toBe(CHANNELS.length + 1);
  });
});
