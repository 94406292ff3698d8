import { z } from 'zod';
import type { Channel, Req } from '../../../shared/api';
import { FIELDS } from '../../../shared/fields';
import { MISMATCH_KINDS } from '../../../shared/mismatches';
import { FEE_CARD_TYPES, SOURCES } from '../../../shared/records';
import { CASE_STATUSES, USER_STATUSES } from '../../../shared/statuses';

// Every request is checked against its schema before a handler sees it: the renderer (or a page
// talking to `posrecon serve`) is never trusted to send the shape its types promise.

const none = z.object({}).strict();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const dayOrTime = z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/);
const fileId = z.string().regex(/^[a-f0-9]{32}$/);
const mismatchId = z.string().min(1).max(80);
const fen = z.number().int().safe();
const text = (max: number) => z.string().max(max);
const lang = z.enum(['zh', 'en']);
const merchant = z.string().regex(/^[0-9A-Za-z]{1,30}$/);
const fees = z.enum(FEE_CARD_TYPES);

const mapping = z
  .object({
    source: z.enum(SOURCES),
    headerRow: z.number().int().min(1).max(100),
    columns: z.partialRecord(z.enum(FIELDS), z.number().int().min(1).max(500)),
  })
  .strict();

export const SCHEMAS: { [C in Channel]: z.ZodType<Req<C>> } = {
  'app.info': none,
  'files.pick': none,
  'imports.sample': z.object({ fileId }).strict(),
  'imports.preview': z
    .object({
      fileId,
      source: z.enum(SOURCES).optional(),
      presetId: text(80).optional(),
      mapping: mapping.optional(),
    })
    .strict(),
  'imports.start': z
    .object({
      files: z
        .array(
          z
            .object({
              fileId,
              presetId: text(80).optional(),
              mapping: mapping.optional(),
              savePresetAs: text(60).min(1).optional(),
            })
            .strict(),
        )
        .min(1)
        .max(50),
      source: z.enum(SOURCES).optional(),
    })
    .strict(),
  'imports.history': none,
  'imports.rejects': z.object({ importId: z.number().int().positive() }).strict(),
  'imports.undo': z.object({ importId: z.number().int().positive() }).strict(),
  'imports.presets': none,
  'jobs.get': z.object({ jobId: fileId }).strict(),
  'jobs.cancel': z.object({ jobId: fileId }).strict(),
  'overview.get': z.object({ from: day.optional(), to: day.optional() }).strict(),
  'review.page': z
    .object({
      kind: z.enum(MISMATCH_KINDS).optional(),
      status: z.enum(CASE_STATUSES).optional(),
      merchantNo: text(40).optional(),
      terminalNo: text(40).optional(),
      from: dayOrTime.optional(),
      to: dayOrTime.optional(),
      cardLast4: z
        .string()
        .regex(/^\d{4}$/)
        .optional(),
      amountFen: fen.optional(),
      problemsOnly: z.boolean().optional(),
      sort: z.enum(['time', 'amount']).optional(),
      descending: z.boolean().optional(),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(500),
    })
    .strict(),
  'mismatches.get': z.object({ id: mismatchId }).strict(),
  'cases.setStatus': z
    .object({
      id: mismatchId,
      status: z.enum(USER_STATUSES),
      note: text(2000).optional(),
      ticketNo: text(80).optional(),
      ticketDate: day.optional(),
      recoveredFen: fen.min(0).optional(),
      reason: text(500).optional(),
    })
    .strict(),
  'cases.addNote': z.object({ id: mismatchId, note: text(2000).min(1) }).strict(),
  'cases.attach': z.object({ id: mismatchId, fileId }).strict(),
  'cases.candidates': z.object({ id: mismatchId }).strict(),
  'cases.link': z
    .object({
      terminalId: z.number().int().positive(),
      settlementId: z.number().int().positive(),
      action: z.enum(['match', 'unmatch']),
    })
    .strict(),
  'search.run': z
    .object({
      cardLast4: z
        .string()
        .regex(/^\d{4}$/)
        .optional(),
      amountFen: fen.optional(),
      from: dayOrTime.optional(),
      to: dayOrTime.optional(),
      rrn: text(40).optional(),
      terminalNo: text(40).optional(),
    })
    .strict(),
  'settings.get': none,
  'settings.setFee': z
    .object({
      card: fees,
      rateBp: z.number().int().min(0).max(1000),
      capFen: fen.min(0).nullable(),
      fixedFen: fen.min(0),
      merchantNo: merchant.optional(),
      from: day.optional(),
    })
    .strict(),
  'settings.setCalendar': z
    .object({
      holidays: z.array(day).max(400).optional(),
      workdays: z.array(day).max(400).optional(),
      remove: z.array(day).max(400).optional(),
      d0: z.array(merchant).max(200).optional(),
      t1: z.array(merchant).max(200).optional(),
    })
    .strict(),
  'settings.setKeywords': z
    .object({ keywords: z.array(z.string().trim().min(1).max(40)).min(1).max(100) })
    .strict(),
  'settings.setMatching': z
    .object({
      rrnDays: z.number().int().min(0).max(30),
      matchWindowSec: z.number().int().min(0).max(86_400),
      duplicateWindowSec: z.number().int().min(0).max(86_400),
      cutoff: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/),
    })
    .strict(),
  'backups.list': none,
  'backups.create': none,
  'reports.closeDay': z.object({ day }).strict(),
  'reports.close': z.object({ from: day, to: day, lang }).strict(),
  'reports.bankRec': z.object({ from: day, to: day, lang }).strict(),
  'exports.bundle': z.object({ mismatchIds: z.array(mismatchId).min(1).max(200), lang }).strict(),
  'exports.mismatches': z
    .object({
      kind: z.enum(MISMATCH_KINDS).optional(),
      status: z.enum(CASE_STATUSES).optional(),
      format: z.enum(['xlsx', 'csv']),
      lang,
    })
    .strict(),
};
