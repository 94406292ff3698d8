import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { type Api, CHANNELS, DROPPED_FILES, MENU, type PickedFile } from '../../shared/api';

// Exactly the contract's functions, one per channel, plus the two things only a preload can do:
// read the paths of dropped files, and hear the native menu. Nothing generic (no ipcRenderer, no
// send(channel)) reaches the page.

const api = Object.fromEntries(
  CHANNELS.map((channel) => [channel, (req: unknown) => ipcRenderer.invoke(channel, req)]),
) as Api;

const exposed = {
  ...api,
  droppedFiles: (files: File[]): Promise<PickedFile[]> =>
    ipcRenderer.invoke(
      DROPPED_FILES,
      files.map((f) => webUtils.getPathForFile(f)),
    ),
  onMenu: (listener: (command: string) => void): void => {
    ipcRenderer.on(MENU, (_event, command: unknown) => {
      if (typeof command === 'string') listener(command);
    });
  },
} satisfies Api & Record<'droppedFiles' | 'onMenu', unknown>;

contextBridge.exposeInMainWorld('posrecon', exposed);
