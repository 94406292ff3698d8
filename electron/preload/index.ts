import { contextBridge } from 'electron';

// The typed API contract arrives with the review screens; until then the page only learns the
// app version, and nothing generic (no ipcRenderer, no send(channel)) is ever exposed.
contextBridge.exposeInMainWorld('posrecon', {
  version: process.env.npm_package_version ?? null,
});
