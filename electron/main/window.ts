import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowState } from './window-state';

/** The one place window options are decided; a unit test pins the security-relevant ones. */
export function windowOptions(preload: string, state?: WindowState): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    ...state?.bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'PosRecon 收单对账',
    autoHideMenuBar: false,
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}
