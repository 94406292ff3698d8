// The app version, injected at build time (scripts/build-cli.mjs, electron.vite.config.mts);
// 'dev' when the sources run directly, as under the unit tests.
declare const __APP_VERSION__: string | undefined;

export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
