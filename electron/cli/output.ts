import type { Lang } from '../../shared/records';

export type { Lang };

/** --lang, then POSRECON_LANG, then the system locale (a Chinese Windows sets no LANG). */
export function pickLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  const choice =
    flag ?? env.POSRECON_LANG ?? env.LC_ALL ?? env.LANG ?? Intl.DateTimeFormat().resolvedOptions().locale;
  return choice.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** Everything was imported, but some rows were rejected: see the report. */
  rowsRejected: 1,
  /** verify-bundle: a file in the bundle does not match its manifest. */
  bundleAltered: 1,
  usage: 2,
  /** At least one file could not be imported (unreadable, unknown layout, already imported). */
  fileFailed: 3,
  /** The database could not be opened or was refused. */
  database: 4,
} as const;

/** A progress line on a terminal, redrawn in place, at most five times a second. */
export function progressLine(stream: NodeJS.WriteStream): {
  update(text: string, always?: boolean): void;
  done(): void;
} {
  let last = 0;
  let shown = false;
  return {
    /** `always` redraws even within the rate limit: for a stage change rather than a counter. */
    update(text, always = false) {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (!always && now - last < 200) return;
      last = now;
      stream.write(`\r\u001b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}

/** Pads to a display width, counting CJK characters as two columns as terminals show them. */
export function padDisplay(text: string, width: number): string {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return text + ' '.repeat(Math.max(0, width - w));
}
