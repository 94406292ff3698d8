import { describe, expect, it } from 'vitest';
import { isAppPage, opensInBrowser } from '../../../electron/main/sender';

describe('IPC sender check', () => {
  const app = 'file:///opt/PosRecon/resources/app.asar/out/renderer/index.html';
  it('accepts the app page at any route, and nothing else', () => {
    expect(isAppPage(`${app}#/case/duplicate_charge-1`, app)).toBe(true);
    expect(isAppPage('file:///tmp/evil/index.html', app)).toBe(false);
    expect(isAppPage('https://example.com/out/renderer/index.html', app)).toBe(false);
    expect(isAppPage('about:blank', app)).toBe(false);
    expect(isAppPage(undefined, app)).toBe(false);
    expect(isAppPage('http://localhost:5173/#/review', 'http://localhost:5173/')).toBe(true);
    expect(isAppPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
  it('hands only plain https links to the browser', () => {
    expect(opensInBrowser('https://www.chinaums.com/help')).toBe(true);
    for (const url of [
      'http://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://user:pw@example.com',
      'ms-settings:',
      'not a url',
    ]) {
      expect(opensInBrowser(url), url).toBe(false);
    }
  });
});
