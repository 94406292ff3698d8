import { parseAmountFen, parseDate } from '../engine/import/values';

/** A command line mistake: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/** An option's amount in fen, read like a cell would be (58, 58.00, ¥1,234.56). Fees and caps
 *  cannot be negative; a search may look for a debit line. */
export function amountArg(name: string, text: string, negative: 'allowed' | 'refused' = 'refused'): number {
  const r = parseAmountFen(text);
  if (!r.ok || r.value === null || (negative === 'refused' && r.value < 0)) {
    throw new UsageError(`--${name}: not an amount: ${text}`);
  }
  return r.value;
}

/** An option's date as 'YYYY-MM-DD', in any form a cell may hold. */
export function dateArg(name: string, text: string): string {
  const r = parseDate(text, false);
  if (!r.ok || r.value === null) throw new UsageError(`--${name}: not a date: ${text}`);
  return r.value;
}
