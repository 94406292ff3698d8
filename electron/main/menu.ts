import { dirname } from 'node:path';
import { app, type BrowserWindow, dialog, Menu, type MenuItemConstructorOptions, shell } from 'electron';
import { MENU } from '../../shared/api';
import { backupDir } from '../engine/store/backup';
import type { EngineClient } from './engine-client';

/** The native menu: File (import, export, data folder, backup, restore) and View (language). */
export function buildMenu(engine: EngineClient, dbPath: string, window: () => BrowserWindow | null): Menu {
  const zh = app.getLocale().toLowerCase().startsWith('zh');
  const t = (cn: string, en: string) => (zh ? cn : en);
  const send = (command: string) => window()?.webContents.send(MENU, command);
  const message = (text: string) => {
    const win = window();
    const options = { message: text, buttons: [t('确定', 'OK')] };
    return win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options);
  };
  const backup = async () => {
    const r = await engine.request({ type: 'call', channel: 'backups.create', req: {} });
    const file = r.ok ? (r.value as { file: string }).file : '';
    await message(r.ok ? t(`已备份到 ${file}`, `Backed up to ${file}`) : r.error[zh ? 'zh' : 'en']);
  };
  const restore = async () => {
    const win = window();
    const options = {
      defaultPath: backupDir(dbPath),
      properties: ['openFile'] as Array<'openFile'>,
      filters: [{ name: 'PosRecon', extensions: ['sqlite'] }],
    };
    const choice = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    const file = choice.filePaths[0];
    if (choice.canceled || !file) return;
    const r = await engine.request({ type: 'restore', file });
    await message(
      r.ok
        ? t(`已恢复。原数据库保留为 ${r.value}`, `Restored. The previous database is kept as ${r.value}`)
        : r.error[zh ? 'zh' : 'en'],
    );
    // Refused (an import is running, a file that is no backup): the page and its work stay.
    if (r.ok) win?.webContents.reload();
  };
  const template: MenuItemConstructorOptions[] = [
    {
      label: t('文件', 'File'),
      submenu: [
        { label: t('导入文件…', 'Import files…'), accelerator: 'CmdOrCtrl+O', click: () => send('import') },
        {
          label: t('导出差异清单', 'Export mismatch list'),
          accelerator: 'CmdOrCtrl+E',
          click: () => send('export'),
        },
        { type: 'separator' },
        { label: t('打开数据文件夹', 'Open data folder'), click: () => void shell.openPath(dirname(dbPath)) },
        { label: t('立即备份', 'Back up now'), click: () => void backup() },
        { label: t('从备份恢复…', 'Restore from backup…'), click: () => void restore() },
        { type: 'separator' },
        { role: 'quit', label: t('退出', 'Quit') },
      ],
    },
    { role: 'editMenu', label: t('编辑', 'Edit') },
    {
      label: t('视图', 'View'),
      submenu: [
        { label: '中文', click: () => send('lang:zh') },
        { label: 'English', click: () => send('lang:en') },
        { type: 'separator' },
        { role: 'reload', label: t('重新加载', 'Reload') },
        { role: 'togglefullscreen', label: t('全屏', 'Full screen') },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
