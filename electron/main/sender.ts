/**
 * Whether an IPC message comes from the app's own page: the bundled renderer file (or, in
 * development, the dev server's page), whatever its #route. Anything else — another frame, a page
 * the window was somehow navigated to — is refused before a handler runs.
 */
export function isAppPage(frameUrl: string | undefined | null, appUrl: string): boolean {
  if (!frameUrl) return false;
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  return frame.protocol === app.protocol && frame.host === app.host && frame.pathname === app.pathname;
}

/** Links the app hands to the user's browser: plain https addresses only (no file:, no custom
 *  protocols, no credentials in the address). Everything else is dropped. */
export function opensInBrowser(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname.includes('.');
  } catch {
    return false;
  }
}
