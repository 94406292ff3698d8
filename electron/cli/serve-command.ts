import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '../engine/api/http-server';
import { warmReview } from '../engine/reconcile/review';
import type { Db } from '../engine/store/database';
import { fileStoreDir } from '../engine/store/paths';
import type { Values } from './args';
import { userName } from './case-commands';
import { EXIT, type Lang } from './output';
import { UsageError } from './usage';

/** The built renderer, beside the built command line (out/cli → out/renderer). */
const RENDERER = join(__dirname, '..', 'renderer');

/** Serves the app's screens on 127.0.0.1 until interrupted; the first line printed is the URL. */
export async function runServe(db: Db, dbPath: string, values: Values, lang: Lang): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: not a port: ${values.port}`);
  if (!existsSync(join(RENDERER, 'index.html'))) {
    process.stderr.write(
      lang === 'zh'
        ? '找不到界面文件，请先运行 npm run build。\n'
        : 'The screens are not built yet: run npm run build first.\n',
    );
    return EXIT.usage;
  }
  // Before the address is given: the review table is the screen a user opens first. Only a warm-up:
  // what fails here fails again, and is reported, when a page is asked for.
  try {
    warmReview(db);
  } catch {
    // Left for the page that asks.
  }
  const serving = await serve({
    port,
    rendererDir: RENDERER,
    context: { db, dbPath, fileStore: fileStoreDir(dbPath), user: userName(values) },
  });
  // Listened for before the address is given: whoever reads it may stop the server at once.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write(`${serving.url}\n`);
  process.stderr.write(
    lang === 'zh'
      ? '在浏览器中打开上面的地址（仅本机可访问）。按 Ctrl+C 停止。\n'
      : 'Open the address above in a browser (this computer only). Press Ctrl+C to stop.\n',
  );
  await stopped;
  await serving.close();
  return EXIT.ok;
}
