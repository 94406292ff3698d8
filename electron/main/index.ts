import { join } from 'node:path';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { DatabaseRefusedError, openDatabase } from '../engine/store/database';
import { resolveDbPath } from '../engine/store/paths';
import { electronNativeBinding } from './native-binding';
import { windowOptions } from './window';

if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

// Nothing in the app may navigate away, open windows or obtain permissions.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // Same default folder as the command line (Electron's userData for productName PosRecon).
  const dbPath = resolveDbPath(undefined);
  try {
    const db = openDatabase(dbPath, {
      nativeBinding: electronNativeBinding({
        packaged: app.isPackaged,
        resourcesPath: process.resourcesPath,
        appPath: app.getAppPath(),
        electronVersion: process.versions.electron,
      }),
    });
    app.on('will-quit', () => db.close());
  } catch (err) {
    const text = err instanceof DatabaseRefusedError ? `${err.zh}\n\n${err.en}` : String(err);
    dialog.showErrorBox('PosRecon', text);
  }

  const win = new BrowserWindow(windowOptions(join(__dirname, '../preload/index.js')));
  win.once('ready-to-show', () => win.show());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(__dirname, '../renderer/index.html'));
});

app.on('window-all-closed', () => app.quit());
