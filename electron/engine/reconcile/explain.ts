import { yuan } from '../../../shared/money';
import type { Lang } from '../../../shared/records';
import type { ReconRecord } from './types';

/** A transaction as a store manager would name it: time, terminal, card, amount, reference. */
export function describe(r: ReconRecord, lang: Lang): string {
  const parts = [
    r.txnTime ?? '',
    r.terminalNo ? `${lang === 'zh' ? '终端' : 'terminal'} ${r.terminalNo}` : '',
  ];
  if (r.cardLast4) parts.push(lang === 'zh' ? `尾号 ${r.cardLast4}` : `card …${r.cardLast4}`);
  if (r.amountFen !== null) parts.push(yuan(r.amountFen));
  if (r.rrn) parts.push(`${lang === 'zh' ? '参考号' : 'RRN'} ${r.rrn}`);
  return parts.filter(Boolean).join(lang === 'zh' ? '，' : ', ');
}

/** A time span as people say it: seconds under a minute, else whole minutes. */
export function span(seconds: number, lang: Lang): string {
  if (seconds < 60) return lang === 'zh' ? `${seconds} 秒` : `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return lang === 'zh' ? `${minutes} 分钟` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
