import { readFileSync, writeFileSync } from 'node:fs';
import type { BrowserWindow, Rectangle } from 'electron';

export interface WindowState {
  bounds: Partial<Rectangle>;
  maximized: boolean;
}

const DEFAULT: WindowState = { bounds: { width: 1280, height: 800 }, maximized: false };

/** The window's size and place from the last session (the default when none or unreadable). */
export function loadWindowState(file: string): WindowState {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as WindowState;
    const { width, height } = s.bounds ?? {};
    if (typeof width !== 'number' || typeof height !== 'number' || width < 400 || height < 300)
      return DEFAULT;
    return { bounds: s.bounds, maximized: s.maximized === true };
  } catch {
    return DEFAULT;
  }
}

/** Remembers the window's size and place when it closes. */
export function trackWindowState(win: BrowserWindow, file: string): void {
  win.on('close', () => {
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeFileSync(file, JSON.stringify(state));
    } catch {
      // Not remembering the window's place is no reason to stop the app from closing.
    }
  });
}
