import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeBinding, nativeDirName } from '../../../electron/main/native-binding';
import { windowOptions } from '../../../electron/main/window';

describe('windowOptions', () => {
  it('locks the renderer down: sandboxed, isolated, no node, no webviews', () => {
    const prefs = windowOptions('/app/preload.js').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('the page’s content security policy', () => {
  it('allows only the app’s own scripts and styles, no inline code, no remote content', () => {
    const html = readFileSync(join(__dirname, '..', '..', '..', 'renderer', 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});

describe('electronNativeBinding', () => {
  it('points at the Electron build in .native/ during development, and says how to make it', () => {
    expect(nativeDirName('45.4.1', 'win32', 'x64')).toBe('electron-45.4.1-win32-x64');
    expect(() =>
      electronNativeBinding({
        packaged: false,
        resourcesPath: '/r',
        appPath: '/nowhere',
        electronVersion: '45.4.1',
      }),
    ).toThrow(join('/nowhere', '.native', nativeDirName('45.4.1'), 'better_sqlite3.node'));
    expect(() =>
      electronNativeBinding({
        packaged: true,
        resourcesPath: '/r',
        appPath: '/nowhere',
        electronVersion: '45.4.1',
      }),
    ).toThrow(/electron-native\.mjs/);
  });
});
