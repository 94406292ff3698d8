import type { Bilingual, NormalizedRecord, RecordFlag, Source, TxnType } from '../../../shared/records';
import type { Layout } from './detect';
import { type Field, IDENTIFIER_WIDTHS } from './fields';
import type { RawCell } from './readers/types';
import {
  amountFenOf,
  cardLast4,
  cleanText,
  type Failure,
  identifierOf,
  identifierTruncated,
  normalizeCardType,
  normalizeStatus,
  normalizeTxnType,
  type ParseResult,
  parseDate,
  parseDateTime,
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
  orderNo: 'order_truncated',
  origOrderNo: 'order_truncated',
  channelTxnNo: 'order_truncated',
};

/** One field's column, looked up once per table rather than once per cell. */
interface Slot {
  /** Column index, or undefined when the file has no such column. */
  index: number | undefined;
  width: number;
  flag: RecordFlag | undefined;
}

/** Builds the per-row normaliser for one table. Amounts of card and QR records are magnitudes
 *  (txnType says whether money went in or out); statement amounts are signed, credits positive. */
export function createRowNormalizer(
  layout: Pick<Layout, 'columns' | 'headers' | 'amountUnit'> & { source: Source },
  date1904: boolean,
  defaults: { cardType?: NormalizedRecord['cardType']; status?: NormalizedRecord['status'] } = {},
): (cells: readonly RawCell[]) => RowOutcome {
  const { columns, headers, source, amountUnit } = layout;
  const mapped = Object.values(columns).filter((i): i is number => typeof i === 'number');
  const slot = (field: Field): Slot => ({
    index: columns[field],
    width: IDENTIFIER_WIDTHS[field] ?? 0,
    flag: IDENTIFIER_FLAGS[field],
  });
  // Every field normalisation reads, resolved up front: the row loop then reads plain properties
  // instead of looking fields up by name in columns / IDENTIFIER_WIDTHS for every cell.
  const S = {
    txnDateTime: slot('txnDateTime'),
    txnDate: slot('txnDate'),
    txnTime: slot('txnTime'),
    clearDate: slot('clearDate'),
    merchantNo: slot('merchantNo'),
    merchantName: slot('merchantName'),
    terminalNo: slot('terminalNo'),
    cardNo: slot('cardNo'),
    cardType: slot('cardType'),
    txnType: slot('txnType'),
    status: slot('status'),
    amount: slot('amount'),
    fee: slot('fee'),
    net: slot('net'),
    refundAmount: slot('refundAmount'),
    rrn: slot('rrn'),
    trace: slot('trace'),
    batch: slot('batch'),
    authCode: slot('authCode'),
    orderNo: slot('orderNo'),
    channelTxnNo: slot('channelTxnNo'),
    origRrn: slot('origRrn'),
    origTrace: slot('origTrace'),
    origOrderNo: slot('origOrderNo'),
    counterparty: slot('counterparty'),
    counterpartyAccount: slot('counterpartyAccount'),
    summary: slot('summary'),
    remark: slot('remark'),
    balance: slot('balance'),
    credit: slot('credit'),
    debit: slot('debit'),
    direction: slot('direction'),
  } satisfies Record<Field, Slot>;

  const header = (s: Slot): string | null => {
    const i = s.index;
    return i === undefined ? null : (headers[i] ?? `#${i + 1}`);
  };
  const at = (cells: readonly RawCell[], s: Slot): RawCell => {
    const i = s.index;
    return i === undefined ? null : (cells[i] ?? null);
  };
  const rejected = (cells: readonly RawCell[], s: Slot, f: Failure): Rejected =>
    new Rejected({ column: header(s), value: cleanText(at(cells, s)), reason: f.reason });
  const take = <T>(cells: readonly RawCell[], s: Slot, r: ParseResult<T>): T => {
    if (r.ok) return r.value;
    throw rejected(cells, s, r);
  };
  const text = (cells: readonly RawCell[], s: Slot): string | null => {
    if (s.index === undefined) return null;
    const t = cleanText(at(cells, s));
    return t === '' ? null : t;
  };
  const amount = (cells: readonly RawCell[], s: Slot): number | null => {
    if (s.index === undefined) return null;
    const fen = amountFenOf(at(cells, s), amountUnit);
    if (fen !== null && typeof fen === 'object') throw rejected(cells, s, fen);
    return fen;
  };
  /** An identifier; notes in flags when the file could only give it approximately. */
  const ident = (cells: readonly RawCell[], s: Slot, flags: RecordFlag[]): string | null => {
    if (s.index === undefined) return null;
    const id = identifierOf(at(cells, s), s.width);
    if (id !== null && typeof id === 'object') throw rejected(cells, s, id);
    if (id !== null && identifierTruncated() && s.flag && !flags.includes(s.flag)) flags.push(s.flag);
    return id;
  };

  const when = (cells: readonly RawCell[]): string | null => {
    const dateCell = at(cells, S.txnDate);
    const dtCell = at(cells, S.txnDateTime);
    const timeCell = at(cells, S.txnTime);
    if (S.txnDate.index !== undefined && cleanText(dateCell) !== '') {
      const date = take(cells, S.txnDate, parseDate(dateCell, date1904));
      const timeSlot = cleanText(timeCell) !== '' ? S.txnTime : S.txnDateTime;
      const time = take(cells, timeSlot, parseTime(at(cells, timeSlot), date1904));
      return date === null ? null : `${date} ${time ?? '00:00:00'}`;
    }
    if (S.txnDateTime.index !== undefined && cleanText(dtCell) !== '') {
      return take(cells, S.txnDateTime, parseDateTime(dtCell, date1904));
    }
    return null;
  };

  return (cells) => {
    let empty = true;
    for (let k = 0; k < mapped.length; k++) {
      if (cleanText(cells[mapped[k]!] ?? null) !== '') {
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
    const clearDate =
      S.clearDate.index === undefined
        ? null
        : take(cells, S.clearDate, parseDate(at(cells, S.clearDate), date1904));
    let txnTime = when(cells);
    if (txnTime === null && source === 'statement' && clearDate !== null) txnTime = `${clearDate} 00:00:00`;
    if (txnTime === null) {
      const s = S.txnDateTime.index !== undefined ? S.txnDateTime : S.txnDate;
      throw new Rejected({
        column: header(s),
        value: cleanText(at(cells, s)),
        reason: { zh: '缺少交易时间', en: 'The transaction time is missing' },
      });
    }

    let txnType: TxnType =
      S.txnType.index === undefined ? 'unknown' : normalizeTxnType(text(cells, S.txnType) ?? '');
    let amountFen = amount(cells, S.amount);

    if (source === 'statement') {
      const signed = statementAmount(cells);
      amountFen = signed;
      txnType = signed >= 0 ? 'credit' : 'debit';
    } else {
      const refund = amount(cells, S.refundAmount);
      if ((txnType === 'refund' || txnType === 'void') && refund !== null && refund !== 0) amountFen = refund;
      if (amountFen === null) {
        throw new Rejected({
          column: header(S.amount),
          value: cleanText(at(cells, S.amount)),
          reason: { zh: '缺少交易金额', en: 'The transaction amount is missing' },
        });
      }
      // A negative line with no type column is money going back to the card holder.
      if (amountFen < 0 && txnType === 'unknown') txnType = 'refund';
      amountFen = Math.abs(amountFen);
    }

    const cardNo = text(cells, S.cardNo);
    // A full card number kept as a number by Excel lost its digits past the 15th: keep what is
    // left, but say so. Masked numbers (with *) are text and never affected.
    if (cardNo !== null && (typeof at(cells, S.cardNo) === 'number' || /^\d(\.\d+)?E\+\d+$/i.test(cardNo))) {
      if (cardNo.length > 15 || /E\+/i.test(cardNo)) flags.push('card_truncated');
    }
    const summary = text(cells, S.summary);
    const remark = text(cells, S.remark);
    return {
      source,
      txnTime,
      clearDate,
      merchantNo: ident(cells, S.merchantNo, flags),
      merchantName: text(cells, S.merchantName),
      terminalNo: ident(cells, S.terminalNo, flags),
      cardNo,
      cardLast4: cardLast4(cardNo),
      cardType:
        S.cardType.index === undefined
          ? (defaults.cardType ?? 'unknown')
          : normalizeCardType(text(cells, S.cardType) ?? ''),
      txnType,
      status:
        S.status.index === undefined
          ? (defaults.status ?? 'unknown')
          : normalizeStatus(text(cells, S.status) ?? ''),
      amountFen,
      feeFen: magnitude(amount(cells, S.fee)),
      netFen: magnitude(amount(cells, S.net)),
      rrn: ident(cells, S.rrn, flags),
      trace: ident(cells, S.trace, flags),
      batch: ident(cells, S.batch, flags),
      authCode: ident(cells, S.authCode, flags),
      orderNo: ident(cells, S.orderNo, flags),
      channelTxnNo: ident(cells, S.channelTxnNo, flags),
      origRrn: ident(cells, S.origRrn, flags),
      origTrace: ident(cells, S.origTrace, flags),
      origOrderNo: ident(cells, S.origOrderNo, flags),
      counterparty: text(cells, S.counterparty),
      counterpartyAccount: ident(cells, S.counterpartyAccount, flags),
      summary: summary !== null && remark !== null ? `${summary} / ${remark}` : (summary ?? remark),
      balanceFen: amount(cells, S.balance),
      flags,
    };
  }

  /** Bank lines come as separate credit/debit columns, or one amount with a direction column,
   *  or one signed amount. */
  function statementAmount(cells: readonly RawCell[]): number {
    if (S.credit.index !== undefined || S.debit.index !== undefined) {
      const credit = amount(cells, S.credit) ?? 0;
      const debit = amount(cells, S.debit) ?? 0;
      if (credit !== 0) return Math.abs(credit);
      if (debit !== 0) return -Math.abs(debit);
      throw new Rejected({
        column: header(S.credit) ?? header(S.debit),
        value: cleanText(at(cells, S.credit) ?? at(cells, S.debit)),
        reason: { zh: '借方和贷方金额都为空', en: 'Both the debit and the credit amount are empty' },
      });
    }
    const value = amount(cells, S.amount);
    if (value === null) {
      throw new Rejected({
        column: header(S.amount),
        value: '',
        reason: { zh: '缺少金额', en: 'The amount is missing' },
      });
    }
    if (S.direction.index !== undefined) {
      const dir = normalizeTxnType(text(cells, S.direction) ?? '');
      if (dir === 'credit') return Math.abs(value);
      if (dir === 'debit') return -Math.abs(value);
      throw new Rejected({
        column: header(S.direction),
        value: text(cells, S.direction) ?? '',
        reason: { zh: '无法识别的借贷方向', en: 'Unrecognised debit/credit direction' },
      });
    }
    return value;
  }
}
