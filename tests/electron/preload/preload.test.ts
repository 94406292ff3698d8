import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../shared/api';

// The built preload, run against a stand-in for Electron: what it hands the page is exactly the
// contract's functions (plus the drop and menu helpers), and nothing that can send to any channel.

describe('preload', () => {
  it('exposes one function per contract channel and nothing generic', async () => {
    const code = readFileSync(join(__dirname, '..', '..', '..', 'out', 'preload', 'index.js'), 'utf8');
    const exposed: Record<string, Record<string, unknown>> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, unknown>) => {
          exposed[key] = api;
        },
      },
      ipcRenderer: { invoke: async (...args: unknown[]) => invoked.push(args), on: () => undefined },
      webUtils: { getPathForFile: (f: { path: string }) => f.path },
    };
    runInNewContext(code, {
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`the preload may not load ${name}`);
        return electron;
      },
    });
    expect(Object.keys(exposed)).toEqual(['posrecon']);
    const api = exposed.posrecon!;
    expect(Object.keys(api).sort()).toEqual([...CHANNELS, 'droppedFiles', 'onMenu'].sort());
    for (const fn of Object.values(api)) expect(typeof fn).toBe('function');
    await (api['review.page'] as (r: unknown) => Promise<unknown>)({ offset: 0, limit: 1 });
    await (api.droppedFiles as (f: unknown[]) => Promise<unknown>)([{ path: '/home/clerk/a.csv' }]);
    expect(invoked).toEqual([
      ['review.page', { offset: 0, limit: 1 }],
      ['files.dropped', ['/home/clerk/a.csv']],
    ]);
  });
});
