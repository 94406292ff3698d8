import type { Bilingual, NormalizedRecord, RecordFlag, Source, TxnType } from '../../../shared/records';
import type { Layout } from './detect';
import { type Field, IDENTIFIER_WIDTHS } from './fields';
import type { RawCell } from './readers/types';
import {
  cardLast4,
  cleanText,
  normalizeCardType,
  normalizeStatus,
  normalizeTxnType,
  type ParseResult,
  parseAmountFen,
  parseDate,
  parseDateTime,
  parseIdentifier,
  parseTime,
} from './values';

export interface RowReject {
  /** Header text of the offending column, or null when the row as a whole is unusable. */
  column: string | null;
  value: string;
  reason: Bilingual;
}

export type RowOutcome =
  | { kind: 'record'; record: NormalizedRecord }
  | { kind: 'reject'; reject: RowReject }
  | { kind: 'blank' };

class Rejected extends Error {
  constructor(readonly reject: RowReject) {
    super(reject.reason.en);
  }
}

const IDENTIFIER_FLAGS: Partial<Record<Field, RecordFlag>> = {
  rrn: 'rrn_truncated',
  origRrn: 'rrn_truncated',
  trace: 'trace_truncated',
  origTrace: 'trace_truncated',
  cardNo: 'card_truncated',
  orderNo: 'order_truncated',
  origOrderNo: 'order_truncated',
  channelTxnNo: 'order_truncated',
};

/** Builds the per-row normaliser for one table. Amounts of card and QR records are magnitudes
 *  (txnType says whether money went in or out); statement amounts are signed, credits positive. */
export function createRowNormalizer(
  layout: Pick<Layout, 'columns' | 'headers' | 'amountUnit'> & { source: Source },
  date1904: boolean,
  defaults: { cardType?: NormalizedRecord['cardType']; status?: NormalizedRecord['status'] } = {},
): (cells: readonly RawCell[]) => RowOutcome {
  const { columns, headers, source, amountUnit } = layout;
  const mapped = Object.values(columns).filter((i): i is number => typeof i === 'number');
  const header = (f: Field): string | null => {
    const i = columns[f];
    return i === undefined ? null : (headers[i] ?? `#${i + 1}`);
  };
  const at = (cells: readonly RawCell[], f: Field): RawCell => {
    const i = columns[f];
    return i === undefined ? null : (cells[i] ?? null);
  };
  const take = <T>(cells: readonly RawCell[], f: Field, r: ParseResult<T>): T => {
    if (r.ok) return r.value;
    throw new Rejected({ column: header(f), value: cleanText(at(cells, f)), reason: r.reason });
  };
  const text = (cells: readonly RawCell[], f: Field): string | null => {
    if (columns[f] === undefined) return null;
    const s = cleanText(at(cells, f));
    return s === '' ? null : s;
  };
  const amount = (cells: readonly RawCell[], f: Field): number | null =>
    columns[f] === undefined ? null : take(cells, f, parseAmountFen(at(cells, f), amountUnit));

  const when = (cells: readonly RawCell[]): string | null => {
    const dateCell = at(cells, 'txnDate');
    const dtCell = at(cells, 'txnDateTime');
    const timeCell = at(cells, 'txnTime');
    if (columns.txnDate !== undefined && cleanText(dateCell) !== '') {
      const date = take(cells, 'txnDate', parseDate(dateCell, date1904));
      const timeField: Field = cleanText(timeCell) !== '' ? 'txnTime' : 'txnDateTime';
      const time = take(cells, timeField, parseTime(at(cells, timeField), date1904));
      return date === null ? null : `${date} ${time ?? '00:00:00'}`;
    }
    if (columns.txnDateTime !== undefined && cleanText(dtCell) !== '') {
      return take(cells, 'txnDateTime', parseDateTime(dtCell, date1904));
    }
    return null;
  };

  return (cells) => {
    let empty = true;
    for (const i of mapped) {
      if (cleanText(cells[i] ?? null) !== '') {
        empty = false;
        break;
      }
    }
    if (empty) return { kind: 'blank' };
    try {
      return { kind: 'record', record: build(cells) };
    } catch (err) {
      if (err instanceof Rejected) return { kind: 'reject', reject: err.reject };
      throw err;
    }
  };

  /** Card and QR fees and net amounts are magnitudes like the amount; statements keep signs. */
  function magnitude(fen: number | null): number | null {
    return fen === null || source === 'statement' ? fen : Math.abs(fen);
  }

  function build(cells: readonly RawCell[]): NormalizedRecord {
    const flags: RecordFlag[] = [];
    const ident = (f: Field): string | null => {
      if (columns[f] === undefined) return null;
      const r = take(cells, f, parseIdentifier(at(cells, f), IDENTIFIER_WIDTHS[f]));
      if (r === null) return null;
      const flag = IDENTIFIER_FLAGS[f];
      if (r.truncated && flag && !flags.includes(flag)) flags.push(flag);
      return r.value;
    };

    const clearDate = columns.clearDate === undefined ? null : take(cells, 'clearDate', parseDate(at(cells, 'clearDate'), date1904));
    let txnTime = when(cells);
    if (txnTime === null && source === 'statement' && clearDate !== null) txnTime = `${clearDate} 00:00:00`;
    if (txnTime === null) {
      const f: Field = columns.txnDateTime !== undefined ? 'txnDateTime' : 'txnDate';
      throw new Rejected({
        column: header(f),
        value: cleanText(at(cells, f)),
        reason: { zh: '缺少交易时间', en: 'The transaction time is missing' },
      });
    }

    let txnType: TxnType = columns.txnType === undefined ? 'unknown' : normalizeTxnType(text(cells, 'txnType') ?? '');
    let amountFen = amount(cells, 'amount');

    if (source === 'statement') {
      const signed = statementAmount(cells);
      amountFen = signed;
      txnType = signed >= 0 ? 'credit' : 'debit';
    } else {
      const refund = amount(cells, 'refundAmount');
      if ((txnType === 'refund' || txnType === 'void') && refund !== null && refund !== 0) amountFen = refund;
      if (amountFen === null) {
        throw new Rejected({
          column: header('amount'),
          value: cleanText(at(cells, 'amount')),
          reason: { zh: '缺少交易金额', en: 'The transaction amount is missing' },
        });
      }
      // A negative line with no type column is money going back to the card holder.
      if (amountFen < 0 && txnType === 'unknown') txnType = 'refund';
      amountFen = Math.abs(amountFen);
    }

    const cardNo = text(cells, 'cardNo');
    const summaryParts = [text(cells, 'summary'), text(cells, 'remark')].filter((s): s is string => s !== null);
    return {
      source,
      txnTime,
      clearDate,
      merchantNo: ident('merchantNo'),
      merchantName: text(cells, 'merchantName'),
      terminalNo: ident('terminalNo'),
      cardNo,
      cardLast4: cardLast4(cardNo),
      cardType:
        columns.cardType === undefined
          ? (defaults.cardType ?? 'unknown')
          : normalizeCardType(text(cells, 'cardType') ?? ''),
      txnType,
      status: columns.status === undefined ? (defaults.status ?? 'unknown') : normalizeStatus(text(cells, 'status') ?? ''),
      amountFen,
      feeFen: magnitude(amount(cells, 'fee')),
      netFen: magnitude(amount(cells, 'net')),
      rrn: ident('rrn'),
      trace: ident('trace'),
      batch: ident('batch'),
      authCode: ident('authCode'),
      orderNo: ident('orderNo'),
      channelTxnNo: ident('channelTxnNo'),
      origRrn: ident('origRrn'),
      origTrace: ident('origTrace'),
      origOrderNo: ident('origOrderNo'),
      counterparty: text(cells, 'counterparty'),
      counterpartyAccount: ident('counterpartyAccount'),
      summary: summaryParts.length > 0 ? summaryParts.join(' / ') : null,
      balanceFen: amount(cells, 'balance'),
      flags,
    };
  }

  /** Bank lines come as separate credit/debit columns, or one amount with a direction column,
   *  or one signed amount. */
  function statementAmount(cells: readonly RawCell[]): number {
    if (columns.credit !== undefined || columns.debit !== undefined) {
      const credit = amount(cells, 'credit') ?? 0;
      const debit = amount(cells, 'debit') ?? 0;
      if (credit !== 0) return Math.abs(credit);
      if (debit !== 0) return -Math.abs(debit);
      throw new Rejected({
        column: header('credit') ?? header('debit'),
        value: cleanText(at(cells, 'credit') ?? at(cells, 'debit')),
        reason: { zh: '借方和贷方金额都为空', en: 'Both the debit and the credit amount are empty' },
      });
    }
    const value = amount(cells, 'amount');
    if (value === null) {
      throw new Rejected({
        column: header('amount'),
        value: '',
        reason: { zh: '缺少金额', en: 'The amount is missing' },
      });
    }
    if (columns.direction !== undefined) {
      const dir = normalizeTxnType(text(cells, 'direction') ?? '');
      if (dir === 'credit') return Math.abs(value);
      if (dir === 'debit') return -Math.abs(value);
      throw new Rejected({
        column: header('direction'),
        value: text(cells, 'direction') ?? '',
        reason: { zh: '无法识别的借贷方向', en: 'Unrecognised debit/credit direction' },
      });
    }
    return value;
  }
}
