import { buildBundle } from '../../export/bundle';
import { writeCsvBytes, writeXlsxBytes } from '../../export/table';
import { ensureReconciled, listMismatches, mismatchesInOrder } from '../../reconcile/cases';
import { mismatchTable } from '../../reconcile/report';
import { APP_VERSION } from '../../version';
import { notFound } from '../errors';
import type { EngineContext, Handlers } from './context';

// Exports: evidence bundles and the mismatch list, handed over by the transport.

export function exportHandlers(ctx: EngineContext): Pick<Handlers, 'exports.bundle' | 'exports.mismatches'> {
  const { db } = ctx;
  return {
    'exports.bundle': async (req) => {
      ensureReconciled(db);
      const { found: chosen, unknown } = mismatchesInOrder(db, req.mismatchIds);
      if (unknown.length > 0) {
        throw notFound({ zh: '有的差异已不存在。', en: 'Some of these mismatches no longer exist.' });
      }
      const bundle = await buildBundle(db, ctx.fileStore, chosen, {
        generatedBy: ctx.user,
        appVersion: APP_VERSION,
        lang: req.lang,
      });
      return ctx.deliver(bundle.name, bundle.zip);
    },
    'exports.mismatches': (req) => {
      ensureReconciled(db);
      const table = mismatchTable(
        listMismatches(db, {
          ...(req.kind ? { kind: req.kind } : {}),
          ...(req.status ? { status: req.status } : {}),
        }),
        req.lang,
      );
      const name = `${table.sheet}.${req.format}`;
      return ctx.deliver(name, req.format === 'xlsx' ? writeXlsxBytes([table]) : writeCsvBytes(table));
    },
  };
}
