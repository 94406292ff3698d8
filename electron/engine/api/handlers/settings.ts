import type { Res } from '../../../../shared/api';
import type { FeeCardType } from '../../../../shared/records';
import { loadRecords } from '../../reconcile/load';
import {
  editSettlementCalendar,
  loadSettings,
  saveSetting,
  setFeeTerm,
} from '../../reconcile/settings-store';
import type { EngineContext, Handlers } from './context';

// Settings: fee schedules, the settlement calendar, D0 merchants, acquirer keywords.

function settingsView(ctx: EngineContext): Res<'settings.get'> {
  const s = loadSettings(ctx.db);
  return {
    fees: s.fees,
    feeSchedules: s.feeSchedules.flatMap((d) =>
      // A dated schedule holds terms only for card types (Object.entries types keys as strings).
      Object.entries(d.fees).map(([card, term]) => ({
        merchantNo: d.merchantNo,
        from: d.from,
        card: card as FeeCardType,
        term,
      })),
    ),
    holidays: s.calendar.holidays,
    workdays: s.calendar.workdays,
    d0Merchants: s.d0Merchants,
    acquirerKeywords: s.acquirerKeywords,
    matching: {
      rrnDays: s.rrnDays,
      matchWindowSec: s.matchWindowSec,
      duplicateWindowSec: s.duplicateWindowSec,
      cutoff: s.cutoff,
    },
    merchants: merchantsOf(ctx),
  };
}

/** Merchants and terminals as the card records name them, each merchant with the name it goes by. */
function merchantsOf(ctx: EngineContext): Res<'settings.get'>['merchants'] {
  const rows = ctx.db
    .prepare(
      `SELECT merchant_no AS merchantNo, json_group_array(DISTINCT terminal_no) AS terminals, min(id) AS first
       FROM records WHERE source IN (0, 1) AND merchant_no IS NOT NULL GROUP BY merchant_no ORDER BY merchant_no`,
    )
    .all() as Array<{ merchantNo: string; terminals: string; first: number }>;
  const names = new Map(
    loadRecords(ctx.db, {
      sql: 'r.id IN (SELECT value FROM json_each(:ids))',
      params: { ids: JSON.stringify(rows.map((r) => r.first)) },
    }).map((r) => [r.merchantNo, r.merchantName]),
  );
  return rows.map((r) => ({
    merchantNo: r.merchantNo,
    name: names.get(r.merchantNo) ?? null,
    terminals: (JSON.parse(r.terminals) as Array<string | null>).filter((t): t is string => !!t).sort(),
  }));
}

export function settingsHandlers(
  ctx: EngineContext,
): Pick<
  Handlers,
  | 'settings.get'
  | 'settings.setFee'
  | 'settings.setCalendar'
  | 'settings.setKeywords'
  | 'settings.setMatching'
> {
  const { db } = ctx;
  return {
    'settings.get': () => settingsView(ctx),
    'settings.setFee': (req) => {
      setFeeTerm(
        db,
        req.card,
        { rateBp: req.rateBp, capFen: req.capFen, fixedFen: req.fixedFen },
        req.merchantNo ?? null,
        req.from,
      );
      return settingsView(ctx);
    },
    'settings.setCalendar': (req) => {
      editSettlementCalendar(db, req);
      return settingsView(ctx);
    },
    'settings.setKeywords': (req) => {
      saveSetting(db, 'acquirerKeywords', [...new Set(req.keywords)]);
      return settingsView(ctx);
    },
    'settings.setMatching': (req) => {
      saveSetting(db, 'matching', req);
      return settingsView(ctx);
    },
  };
}
