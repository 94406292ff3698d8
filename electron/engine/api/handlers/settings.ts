import type { Res } from '../../../../shared/api';
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
      Object.entries(d.fees).map(([card, term]) => ({ merchantNo: d.merchantNo, from: d.from, card, term })),
    ),
    holidays: s.calendar.holidays,
    workdays: s.calendar.workdays,
    d0Merchants: s.d0Merchants,
    acquirerKeywords: s.acquirerKeywords,
    dataFolder: ctx.fileStore,
  };
}

export function settingsHandlers(
  ctx: EngineContext,
): Pick<Handlers, 'settings.get' | 'settings.setFee' | 'settings.setCalendar' | 'settings.setKeywords'> {
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
  };
}
