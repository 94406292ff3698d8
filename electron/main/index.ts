import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { accountName, resolveDbPath } from '../engine/store/paths';
import { EngineClient } from './engine-client';
import { registerApi } from './ipc';
import { buildMenu } from './menu';
import { electronNativeBinding } from './native-binding';
import { opensInBrowser } from './sender';
import { windowOptions } from './window';
import { loadWindowState, trackWindowState } from './window-state';

if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;
const currentWindow = () => win;

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

// Nothing in the app may navigate away, open windows or obtain permissions; https links open in
// the user's browser.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (opensInBrowser(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // Same default folder as the command line (Electron's userData for productName PosRecon).
  const dbPath = resolveDbPath(undefined);
  const appUrl =
    process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(__dirname, '../renderer/index.html')).href;
  const user = accountName();
  const engine = new EngineClient(
    join(__dirname, 'engine-host.js'),
    {
      dbPath,
      nativeBinding: electronNativeBinding({
        packaged: app.isPackaged,
        resourcesPath: process.resourcesPath,
        appPath: app.getAppPath(),
        electronVersion: process.versions.electron,
      }),
      user,
    },
    currentWindow,
  );
  app.on('will-quit', () => engine.stop());
  registerApi(
    {
      handle: (channel, listener) => ipcMain.handle(channel, listener),
      openDialog: (options) => {
        const w = currentWindow();
        return w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options);
      },
    },
    engine,
    appUrl,
  );
  Menu.setApplicationMenu(buildMenu(engine, dbPath, currentWindow));

  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile);
  win = new BrowserWindow(windowOptions(join(__dirname, '../preload/index.js'), state));
  trackWindowState(win, stateFile);
  win.once('ready-to-show', () => {
    if (state.maximized) win?.maximize();
    win?.show();
  });
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(appUrl);
});

app.on('window-all-closed', () => app.quit());
