import { yuan } from '../../shared/money';
import { FEE_CARD_TYPES, type FeeCardType } from '../../shared/records';
import { isWorkingDay } from '../engine/reconcile/calendar';
import type { FeeSchedule, FeeTerm } from '../engine/reconcile/settings';
import { editSettlementCalendar, loadSettings, setFeeTerm } from '../engine/reconcile/settings-store';
import type { Db } from '../engine/store/database';
import type { Values } from './args';
import { EXIT, type Lang } from './output';
import { amountArg, dateArg, UsageError } from './usage';

/** '0.55%' or '0.55' (percent) → 55 basis points, exactly. */
function rateArg(text: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?%?$/.exec(text.trim());
  if (!m) throw new UsageError(`--rate: give a percentage with at most two decimals, like 0.55%: ${text}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function feeText(t: FeeTerm, lang: Lang): string {
  const rate = `${Math.trunc(t.rateBp / 100)}.${String(t.rateBp % 100).padStart(2, '0')}%`;
  const cap =
    t.capFen === null ? '' : lang === 'zh' ? `，封顶 ${yuan(t.capFen)}` : `, capped at ${yuan(t.capFen)}`;
  const fixed =
    t.fixedFen === 0
      ? ''
      : lang === 'zh'
        ? `，每笔加 ${yuan(t.fixedFen)}`
        : `, plus ${yuan(t.fixedFen)} each`;
  return rate + cap + fixed;
}

export function runFees(db: Db, positionals: string[], values: Values, lang: Lang): number {
  const settings = loadSettings(db);
  const [action] = positionals;
  if (action === 'show') {
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ default: settings.fees, dated: settings.feeSchedules }, null, 2)}\n`,
      );
      return EXIT.ok;
    }
    const show = (title: string, fees: FeeSchedule) => {
      process.stdout.write(`${title}\n`);
      for (const card of FEE_CARD_TYPES)
        process.stdout.write(`  ${card.padEnd(13)} ${feeText(fees[card], lang)}\n`);
    };
    show(lang === 'zh' ? '默认费率：' : 'Default schedule:', settings.fees);
    for (const s of settings.feeSchedules) {
      const who = s.merchantNo ?? (lang === 'zh' ? '所有商户' : 'all merchants');
      show(lang === 'zh' ? `${who}，自 ${s.from} 起：` : `${who}, from ${s.from}:`, s.fees);
    }
    return EXIT.ok;
  }
  if (action !== 'set') throw new UsageError('fees: show or set');
  const card = values.card as FeeCardType | undefined;
  if (!card || !(FEE_CARD_TYPES as readonly string[]).includes(card)) {
    throw new UsageError(`fees set: --card must be one of ${FEE_CARD_TYPES.join(', ')}`);
  }
  if (values.rate === undefined) throw new UsageError('fees set: --rate is required');
  const merchantNo = values.merchant ?? null;
  const from = values.from ? dateArg('from', values.from) : '2000-01-01';
  const term: FeeTerm = {
    rateBp: rateArg(values.rate),
    capFen: values.cap === undefined || values.cap === 'none' ? null : amountArg('cap', values.cap),
    fixedFen: values.fixed === undefined ? 0 : amountArg('fixed', values.fixed),
  };
  setFeeTerm(db, card, term, merchantNo, from);
  process.stdout.write(
    lang === 'zh'
      ? `${merchantNo ?? '所有商户'}自 ${from} 起 ${card} 费率：${feeText(term, lang)}。下次对账时生效。\n`
      : `${card} fee for ${merchantNo ?? 'all merchants'} from ${from}: ${feeText(term, lang)}. Applies from the next reconcile.\n`,
  );
  return EXIT.ok;
}

export function runCalendar(db: Db, positionals: string[], values: Values, lang: Lang): number {
  const settings = loadSettings(db);
  const cal = settings.calendar;
  const [action] = positionals;
  if (action === 'show') {
    const year = values.year ?? String(new Date().getFullYear());
    const inYear = (d: string) => d.startsWith(`${year}-`);
    const view = {
      year: Number(year),
      d0Merchants: settings.d0Merchants,
      provisional: cal.provisional.includes(Number(year)),
      holidays: cal.holidays.filter(inYear).sort(),
      workdays: cal.workdays.filter(inYear).sort(),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      return EXIT.ok;
    }
    process.stdout.write(
      `${year}${view.provisional ? (lang === 'zh' ? '（暂定：国务院尚未公布，请公布后更新）' : ' (provisional: not yet announced; update when it is)') : ''}\n` +
        `${lang === 'zh' ? '放假' : 'Holidays'}: ${view.holidays.join(' ') || '—'}\n` +
        `${lang === 'zh' ? '调休上班' : 'Make-up working days'}: ${view.workdays.join(' ') || '—'}\n` +
        `${lang === 'zh' ? 'D0（当日到账）商户' : 'D0 (same-day) merchants'}: ${view.d0Merchants.join(' ') || '—'}\n`,
    );
    return EXIT.ok;
  }
  if (action !== 'set') throw new UsageError('calendar: show or set');
  const dates = (list: string[] | undefined) => (list ?? []).map((d) => dateArg('date', d));
  const edit = {
    holidays: dates(values.holiday),
    workdays: dates(values.workday),
    remove: dates(values.remove),
  };
  editSettlementCalendar(db, { ...edit, d0: values.d0 ?? [], t1: values.t1 ?? [] });
  const next = loadSettings(db).calendar;
  const changed = [...edit.holidays, ...edit.workdays, ...edit.remove];
  for (const d of changed) {
    process.stdout.write(
      `${d}: ${isWorkingDay(d, next) ? (lang === 'zh' ? '工作日' : 'working day') : lang === 'zh' ? '休息日' : 'day off'}\n`,
    );
  }
  return EXIT.ok;
}
