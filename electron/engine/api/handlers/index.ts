import type { ApiError, Channel } from '../../../../shared/api';
import { WorkflowError } from '../../reconcile/workflow';
import { UnknownImportError } from '../../store/imports';
import { ApiRefusal } from '../errors';
import { Jobs } from '../jobs';
import { SCHEMAS } from '../schemas';

import { appHandlers } from './app';
import { caseHandlers } from './cases';
import type { EngineContext, Handlers } from './context';
import { exportHandlers } from './exports';
import { importHandlers } from './imports';
import { reconcileHandlers } from './reconcile';
import { reportHandlers } from './reports';
import { settingsHandlers } from './settings';

export type { EngineContext, Handlers } from './context';

/** Every channel's handler, grouped by domain; the Handlers type makes a missing channel a
 *  compile error. */
export function createHandlers(ctx: EngineContext, jobs = new Jobs()): Handlers {
  return {
    ...appHandlers(ctx),
    ...importHandlers(ctx, jobs),
    ...reconcileHandlers(ctx),
    ...caseHandlers(ctx),
    ...settingsHandlers(ctx),
    ...reportHandlers(ctx),
    ...exportHandlers(ctx),
  };
}

export type Dispatched = { ok: true; value: unknown } | { ok: false; error: ApiError };

/** What may run while an import holds the database's write transaction: progress and cancel, and
 *  what neither writes nor depends on the records being imported (settings.get names merchants from
 *  records, which an import in progress may only add to). Anything else would see half an import,
 *  or be rolled back with it. */
const DURING_IMPORT = new Set<Channel>([
  'app.info',
  'files.pick',
  'imports.sample',
  'imports.preview',
  'imports.presets',
  'jobs.get',
  'jobs.cancel',
  'settings.get',
  'backups.list',
]);

/** Validates a request against its channel's schema, runs the handler, and turns refusals into
 *  bilingual errors. Both transports call this and nothing else. */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  raw: unknown,
  /** Whether an import is being written: every transport must say (see DURING_IMPORT). */
  importing: () => boolean,
): Promise<Dispatched> {
  if (!Object.hasOwn(SCHEMAS, channel)) {
    return {
      ok: false,
      error: { code: 'invalid', zh: `没有这个接口：${channel}`, en: `No such channel: ${channel}` },
    };
  }
  const c = channel as Channel;
  if (importing() && !DURING_IMPORT.has(c)) {
    return {
      ok: false,
      error: {
        code: 'refused',
        zh: '正在导入文件，请在导入完成后再试。',
        en: 'An import is running; try again when it finishes.',
      },
    };
  }
  const parsed = SCHEMAS[c].safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(request)';
    return {
      ok: false,
      error: {
        code: 'invalid',
        zh: `请求无效（${where}）：${issue?.message}`,
        en: `Invalid request (${where}): ${issue?.message}`,
      },
    };
  }
  try {
    const handler = handlers[c] as (req: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof ApiRefusal) return { ok: false, error: err.toJSON() };
    if (err instanceof WorkflowError)
      return { ok: false, error: { code: 'refused', zh: err.zh, en: err.en } };
    if (err instanceof UnknownImportError) {
      return {
        ok: false,
        error: { code: 'not_found', zh: `没有编号为 ${err.importId} 的导入。`, en: err.message },
      };
    }
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      error: { code: 'internal', zh: `内部错误：${message}`, en: `Internal error: ${message}` },
    };
  }
}
